/// Failures of the grader itself (not of a submission): bad input, a broken installation.
/// A submission that fails to build or crashes is a verdict, never one of these.
public enum GraderError: Error, Equatable, CustomStringConvertible {
  /// The submission path does not exist.
  case submissionNotFound(path: String)
  /// The submission holds no `ProblemN` folder.
  case noProblems(path: String)
  /// The archive could not be read or would write outside its folder.
  case badArchive(path: String, reason: String)
  /// The rubric could not be read.
  case rubricUnreadable(path: String, reason: String)
  /// The runtime library the submissions link against did not build.
  case runtimeBuildFailed(output: String)
  /// A tool the grader needs is missing.
  case toolMissing(name: String, hint: String)
  /// A problem's trusted judge program did not build (a fault of the course, not the student).
  case judgeBuildFailed(problem: String, output: String)
  /// A problem's judge program failed while making inputs or judging.
  case judgeFailed(problem: String, reason: String)

  /// Whether the grader itself failed (its installation, its rubric), not the submission:
  /// such a failure is never charged to a student, and a batch grades the entry again.
  public var isGraderFault: Bool {
    switch self {
    case .submissionNotFound, .noProblems, .badArchive: false
    case .rubricUnreadable, .runtimeBuildFailed, .toolMissing, .judgeBuildFailed, .judgeFailed:
      true
    }
  }

  /// A message naming the problem and what to do.
  public var description: String {
    switch self {
    case .submissionNotFound(let path): "No such file or folder: \(path)"
    case .noProblems(let path):
      "\(path) holds no problem folder (Problem1, Problem2, …) at any depth; give the folder "
        + "or .zip that contains them"
    case .badArchive(let path, let reason): "Cannot use the archive \(path): \(reason)"
    case .rubricUnreadable(let path, let reason): "Cannot read the rubric \(path): \(reason)"
    case .runtimeBuildFailed(let output):
      "The grading runtime (Autograd for student programs) did not build:\n\(output)"
    case .toolMissing(let name, let hint): "\(name) is not available: \(hint)"
    case .judgeBuildFailed(let problem, let output):
      "The judge of \(problem) (its solution and cases) did not build:\n\(output.suffix(4000))"
    case .judgeFailed(let problem, let reason): "The judge of \(problem) failed: \(reason)"
    }
  }
}
