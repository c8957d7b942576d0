// cmark's C interface (CommonMark reference implementation); found through pkg-config (libcmark).
#include <cmark.h>
