// Plain-C view of the system ICU: only standard C types cross this header, so Swift files that
// also import Foundation (which bundles its own ICU) never see <unicode/*.h>.
#ifndef KOHYBRID_ICU_H
#define KOHYBRID_ICU_H
#include <stdint.h>

/// ICU's major version, e.g. 72.
int32_t kh_icu_version_major(void);

/// NFKC with case folding (ICU's "nfkc_cf"): full-width forms, compatibility characters, case.
/// Writes UTF-16 into `dst` (capacity `capacity` units) and returns the length the result needs;
/// a result longer than `capacity` is not written (call again with a larger buffer). Returns -1 on
/// an ICU error.
int32_t kh_icu_nfkc_casefold(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity);

/// Word-break rule-status classes of a segment (ICU's UWordBreak ranges, collapsed).
enum {
    KH_WORD_NONE = 0,       // spaces, punctuation, symbols, emoji
    KH_WORD_NUMBER = 1,
    KH_WORD_LETTER = 2,     // Hangul, Latin, and other alphabetic words
    KH_WORD_KANA = 3,
    KH_WORD_IDEO = 4,       // Han (hanja) words
};

/// Segments UTF-16 text with ICU's word break iterator (locale "ko"). For each segment writes its
/// end offset (UTF-16 units) to `ends` and its KH_WORD_* class to `kinds`, at most `capacity`
/// segments; segments start where the previous one ends (the first at 0). Returns the number of
/// segments (which may exceed `capacity`: call again with larger arrays), or -1 on an ICU error.
int32_t kh_icu_word_segments(const uint16_t *text, int32_t length,
                             int32_t *ends, int32_t *kinds, int32_t capacity);

/// Compiles an ICU regular expression from UTF-16. Returns an opaque handle, or NULL when the
/// pattern is invalid (then `*error_offset` is where, in UTF-16 units, or -1).
void *kh_icu_regex_open(const uint16_t *pattern, int32_t length, int32_t *error_offset);

/// Whether `text` contains a match of the compiled `regex`: 1 yes, 0 no, -1 the match gave up
/// after `step_limit` steps of ICU's match engine (each on the order of a millisecond; patterns
/// such as (a+)+ backtrack exponentially) or failed. Safe from several threads at once: each
/// call matches with its own clone.
int32_t kh_icu_regex_find(const void *regex, const uint16_t *text, int32_t length, int32_t step_limit);

/// Frees a handle from kh_icu_regex_open.
void kh_icu_regex_close(void *regex);

#endif
