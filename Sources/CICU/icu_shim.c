#include "kohybrid_icu.h"
#include <unicode/uversion.h>
#include <unicode/unorm2.h>
#include <unicode/ubrk.h>
#include <unicode/uregex.h>
#include <string.h>

int32_t kh_icu_version_major(void) {
    UVersionInfo v;
    u_getVersion(v);
    return v[0];
}

int32_t kh_icu_nfkc_casefold(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status)) return -1;
    int32_t needed = unorm2_normalize(nfkc, (const UChar *)src, length, (UChar *)dst, capacity, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) return needed;
    if (U_FAILURE(status)) return -1;
    return needed;
}

static int32_t kind_of(int32_t rule_status) {
    if (rule_status >= UBRK_WORD_IDEO && rule_status < UBRK_WORD_IDEO_LIMIT) return KH_WORD_IDEO;
    if (rule_status >= UBRK_WORD_KANA && rule_status < UBRK_WORD_KANA_LIMIT) return KH_WORD_KANA;
    if (rule_status >= UBRK_WORD_LETTER && rule_status < UBRK_WORD_LETTER_LIMIT) return KH_WORD_LETTER;
    if (rule_status >= UBRK_WORD_NUMBER && rule_status < UBRK_WORD_NUMBER_LIMIT) return KH_WORD_NUMBER;
    return KH_WORD_NONE;
}

// One iterator per thread: opening one loads the rules (slow), and an iterator is not thread-safe.
static _Thread_local UBreakIterator *cached_iterator = NULL;

int32_t kh_icu_word_segments(const uint16_t *text, int32_t length,
                             int32_t *ends, int32_t *kinds, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    if (cached_iterator == NULL) {
        cached_iterator = ubrk_open(UBRK_WORD, "ko", NULL, 0, &status);
        if (U_FAILURE(status)) { cached_iterator = NULL; return -1; }
    }
    ubrk_setText(cached_iterator, (const UChar *)text, length, &status);
    if (U_FAILURE(status)) return -1;
    int32_t count = 0;
    ubrk_first(cached_iterator);
    for (int32_t end = ubrk_next(cached_iterator); end != UBRK_DONE; end = ubrk_next(cached_iterator)) {
        if (count < capacity) {
            ends[count] = end;
            kinds[count] = kind_of(ubrk_getRuleStatus(cached_iterator));
        }
        count++;
    }
    // Drop the iterator's pointer to the caller's buffer.
    static const UChar empty[1] = {0};
    status = U_ZERO_ERROR;
    ubrk_setText(cached_iterator, empty, 0, &status);
    return count;
}

void *kh_icu_regex_open(const uint16_t *pattern, int32_t length, int32_t *error_offset) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse;
    URegularExpression *regex = uregex_open((const UChar *)pattern, length, 0, &parse, &status);
    if (U_FAILURE(status)) {
        if (regex) uregex_close(regex);
        *error_offset = parse.offset;
        return NULL;
    }
    return regex;
}

int32_t kh_icu_regex_find(const void *regex, const uint16_t *text, int32_t length, int32_t step_limit) {
    UErrorCode status = U_ZERO_ERROR;
    URegularExpression *clone = uregex_clone((const URegularExpression *)regex, &status);
    if (U_FAILURE(status)) return -1;
    uregex_setText(clone, (const UChar *)text, length, &status);
    uregex_setTimeLimit(clone, step_limit, &status);
    UBool found = U_SUCCESS(status) ? uregex_find(clone, 0, &status) : 0;
    uregex_close(clone);
    if (U_FAILURE(status)) return -1;
    return found ? 1 : 0;
}

void kh_icu_regex_close(void *regex) {
    uregex_close((URegularExpression *)regex);
}
