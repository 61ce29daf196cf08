#include "kohybrid_icu.h"
#include <unicode/uversion.h>
#include <string.h>

int32_t kh_icu_version_major(void) {
    UVersionInfo v;
    u_getVersion(v);
    return v[0];
}
