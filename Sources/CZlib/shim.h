// zlib, for gzip-compressing rotated logs and backups (Debian: zlib1g-dev to build, zlib1g to run).
#include <zlib.h>
