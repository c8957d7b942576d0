#!/usr/bin/env bash
# Gradescope's setup script: runs once when the autograder image is built. The course
# repository (this package) is expected at /autograder/source, as Gradescope unpacks the
# uploaded autograder zip there. Swift 6 must be in the image (see the Dockerfile beside
# this file for an image that has it).
set -euo pipefail
SOURCE="${AUTOGRADER_ROOT:-/autograder}/source"
cd "$SOURCE"
scripts/setup
# Build the grader and the runtime student programs link against, so grading starts at once.
swift build --product grade
swift build -c release --product GradeRuntime --scratch-path .build-grader
