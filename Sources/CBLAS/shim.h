// OpenBLAS's C interface; the include directory comes from pkg-config (openblas).
#include <cblas.h>
