// Plain-C view of the system ICU: only standard C types cross this header, so Swift files that
// also import Foundation (which bundles its own ICU) never see <unicode/*.h>.
#ifndef KOHYBRID_ICU_H
#define KOHYBRID_ICU_H
#include <stdint.h>

/// ICU's major version, e.g. 72.
int32_t kh_icu_version_major(void);

#endif
