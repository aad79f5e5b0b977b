/* wm_phonenumber.h — a small C ABI over Google's libphonenumber (C++).
 *
 * Rules: every symbol carries the wm_ prefix; every pointer is annotated;
 * every create has a destroy; no C++ exception crosses this boundary
 * (the implementation catches them and returns WM_PHONE_INTERNAL_ERROR).
 *
 * Thread safety: a wm_phone_parser is owned by one thread at a time.
 * Several parsers may be used from several threads at once; they share
 * libphonenumber's process-wide PhoneNumberUtil singleton.
 */
#ifndef WM_PHONENUMBER_H
#define WM_PHONENUMBER_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__clang__)  /* nullability annotations are clang's */
#define _Nonnull
#define _Nullable
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Outcome of wm_phone_parse. Values mirror PhoneNumberUtil::ErrorType plus ours. */
typedef enum wm_phone_status {
  WM_PHONE_OK = 0,
  WM_PHONE_INVALID_COUNTRY_CODE = 1,  /* no/unknown region and no leading + */
  WM_PHONE_NOT_A_NUMBER = 2,
  WM_PHONE_TOO_SHORT_AFTER_IDD = 3,
  WM_PHONE_TOO_SHORT_NSN = 4,
  WM_PHONE_TOO_LONG = 5,
  WM_PHONE_INTERNAL_ERROR = 99
} wm_phone_status;

/* PhoneNumberUtil::PhoneNumberType, same numeric values. */
typedef enum wm_phone_type {
  WM_PHONE_TYPE_FIXED_LINE = 0,
  WM_PHONE_TYPE_MOBILE = 1,
  WM_PHONE_TYPE_FIXED_LINE_OR_MOBILE = 2,
  WM_PHONE_TYPE_TOLL_FREE = 3,
  WM_PHONE_TYPE_PREMIUM_RATE = 4,
  WM_PHONE_TYPE_SHARED_COST = 5,
  WM_PHONE_TYPE_VOIP = 6,
  WM_PHONE_TYPE_PERSONAL_NUMBER = 7,
  WM_PHONE_TYPE_PAGER = 8,
  WM_PHONE_TYPE_UAN = 9,
  WM_PHONE_TYPE_VOICEMAIL = 10,
  WM_PHONE_TYPE_UNKNOWN = 11
} wm_phone_type;

/* PhoneNumberUtil::ValidationResult, same numeric values. */
typedef enum wm_phone_possibility {
  WM_PHONE_IS_POSSIBLE = 0,
  WM_PHONE_IS_POSSIBLE_LOCAL_ONLY = 1,
  WM_PHONE_POSSIBLE_INVALID_COUNTRY_CODE = 2,
  WM_PHONE_POSSIBLE_TOO_SHORT = 3,
  WM_PHONE_POSSIBLE_INVALID_LENGTH = 4,
  WM_PHONE_POSSIBLE_TOO_LONG = 5
} wm_phone_possibility;

/* Result of one parse. Strings are NUL-terminated and truncated to fit. */
typedef struct wm_phone_result {
  int32_t status;        /* wm_phone_status */
  int32_t valid;         /* 1 when PhoneNumberUtil::IsValidNumber would say true */
  int32_t number_type;   /* wm_phone_type */
  int32_t possibility;   /* wm_phone_possibility */
  int32_t country_code;
  char e164[24];         /* "+4915123456789" */
  char region[4];        /* "DE", "001" for non-geographic, "ZZ" when unknown */
  char extension[24];    /* "" when none */
} wm_phone_result;

typedef struct wm_phone_parser wm_phone_parser;

/* Creates a parser; returns NULL only when memory is exhausted. */
wm_phone_parser *_Nullable wm_phone_parser_create(void);
void wm_phone_parser_destroy(wm_phone_parser *_Nullable parser);

/* Parses `text` (UTF-8, `length` bytes) with `region` (ISO 3166 alpha-2, or "ZZ"
 * for none) as PhoneNumberUtil::Parse does, then fills `out` with validity,
 * type and the E.164 form. Returns out->status. */
int32_t wm_phone_parse(wm_phone_parser *_Nonnull parser,
                       const char *_Nonnull text, size_t length,
                       const char *_Nonnull region,
                       wm_phone_result *_Nonnull out);

/* Same as wm_phone_parse but calls IsValidNumber() separately instead of
 * deriving validity from the number type: the reference path used by tests
 * and the benchmark to show both agree. */
int32_t wm_phone_parse_reference(wm_phone_parser *_Nonnull parser,
                                 const char *_Nonnull text, size_t length,
                                 const char *_Nonnull region,
                                 wm_phone_result *_Nonnull out);

/* 1 when `region` is a region libphonenumber has metadata for. */
int32_t wm_phone_is_supported_region(const char *_Nonnull region);

/* Country calling code for a region (49 for "DE"), 0 when unknown. */
int32_t wm_phone_country_code_for_region(const char *_Nonnull region);

/* Writes the national (trunk) prefix of `region` ("0" for "DE", "1" for "US",
 * "" for "IT" or an unknown region) into `buffer`. Returns the number of bytes
 * written, excluding the NUL. Thread-safe. */
size_t wm_phone_national_prefix(const char *_Nonnull region, char *_Nonnull buffer,
                                size_t capacity);

/* Writes the main region of a country calling code ("DE" for 49, "US" for 1,
 * "001" for non-geographic codes, "ZZ" for unknown ones) into `buffer`. Returns the
 * number of bytes written, excluding the NUL. Thread-safe. */
size_t wm_phone_region_for_country_code(int32_t country_code, char *_Nonnull buffer,
                                        size_t capacity);

/* Writes a hex fingerprint of the compiled-in metadata (regions, calling codes
 * and every example number) into `buffer`; it changes whenever the metadata
 * does. Returns the number of bytes written, excluding the NUL. */
size_t wm_phone_metadata_fingerprint(char *_Nonnull buffer, size_t capacity);

/* The numbering-plan metadata compiled into this binary (wm_metadata_current.cc,
 * generated by scripts/gen-phone-metadata.py; it replaces the library's built-in
 * plans through the library's own metadata_get()/metadata_size() hooks): its
 * version ("9.0.43") and its source (package, version and digest). Static strings. */
const char *_Nonnull wm_phone_metadata_version(void);
const char *_Nonnull wm_phone_metadata_source(void);

/* Writes the file name of the loaded libphonenumber shared object (for example
 * "libphonenumber.so.8.12"), or "" when it cannot be found. */
size_t wm_phone_library_file(char *_Nonnull buffer, size_t capacity);

/* Writes the part of an E.164 number a masked display may show: "+49 151" (the
 * country calling code and the national destination code libphonenumber gives),
 * or just "+49" when the number does not parse or has no such code. Returns the
 * number of bytes written, excluding the NUL. Thread-safe. */
size_t wm_phone_mask_prefix(const char *_Nonnull e164, char *_Nonnull buffer,
                            size_t capacity);

#ifdef __cplusplus
}
#endif

#endif /* WM_PHONENUMBER_H */
