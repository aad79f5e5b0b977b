// C ABI over libphonenumber. See include/wm_phonenumber.h for the contract.
#include "wm_phonenumber.h"

#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <set>
#include <string>
#include <vector>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

struct wm_phone_parser {
  const PhoneNumberUtil *util;
  PhoneNumber number;
  std::string input;
  std::string scratch;
};

namespace {

void copy_string(const std::string &from, char *to, size_t capacity) {
  size_t n = std::min(from.size(), capacity - 1);
  std::memcpy(to, from.data(), n);
  to[n] = '\0';
}

void reset(wm_phone_result *out) {
  std::memset(out, 0, sizeof(*out));
  out->number_type = WM_PHONE_TYPE_UNKNOWN;
  out->possibility = WM_PHONE_POSSIBLE_INVALID_COUNTRY_CODE;
  std::strcpy(out->region, "ZZ");
}

// Shared by both entry points; `reference` calls IsValidNumber() on its own.
int32_t parse(wm_phone_parser *parser, const char *text, size_t length,
              const char *region, wm_phone_result *out, bool reference) {
  reset(out);
  try {
    parser->input.assign(text, length);
    parser->number.Clear();
    PhoneNumberUtil::ErrorType error =
        parser->util->Parse(parser->input, region, &parser->number);
    if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
      out->status = static_cast<int32_t>(error);
      return out->status;
    }
    const PhoneNumber &number = parser->number;
    out->country_code = number.country_code();
    PhoneNumberUtil::PhoneNumberType type = parser->util->GetNumberType(number);
    out->number_type = static_cast<int32_t>(type);
    // GetNumberType and IsValidNumber share one rule: a number is valid exactly
    // when its region's metadata assigns it a type. The reference path checks.
    out->valid = reference ? (parser->util->IsValidNumber(number) ? 1 : 0)
                           : (type != PhoneNumberUtil::UNKNOWN ? 1 : 0);
    // The reason is only needed to explain an invalid number; a valid one is
    // possible by definition, so skip the extra metadata walk.
    out->possibility =
        out->valid && !reference
            ? static_cast<int32_t>(PhoneNumberUtil::IS_POSSIBLE)
            : static_cast<int32_t>(
                  parser->util->IsPossibleNumberWithReason(number));
    parser->util->Format(number, PhoneNumberUtil::E164, &parser->scratch);
    copy_string(parser->scratch, out->e164, sizeof(out->e164));
    parser->util->GetRegionCodeForNumber(number, &parser->scratch);
    copy_string(parser->scratch, out->region, sizeof(out->region));
    if (number.has_extension()) {
      copy_string(number.extension(), out->extension, sizeof(out->extension));
    }
    out->status = WM_PHONE_OK;
  } catch (...) {
    reset(out);
    out->status = WM_PHONE_INTERNAL_ERROR;
  }
  return out->status;
}

uint64_t fnv1a(uint64_t hash, const std::string &text) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  hash ^= 0xff;  // field separator
  hash *= 1099511628211ULL;
  return hash;
}

}  // namespace

extern "C" {

wm_phone_parser *wm_phone_parser_create(void) {
  try {
    wm_phone_parser *parser = new (std::nothrow) wm_phone_parser();
    if (parser == nullptr) return nullptr;
    parser->util = PhoneNumberUtil::GetInstance();
    return parser;
  } catch (...) {
    return nullptr;
  }
}

void wm_phone_parser_destroy(wm_phone_parser *parser) { delete parser; }

int32_t wm_phone_parse(wm_phone_parser *parser, const char *text,
                       size_t length, const char *region,
                       wm_phone_result *out) {
  return parse(parser, text, length, region, out, false);
}

int32_t wm_phone_parse_reference(wm_phone_parser *parser, const char *text,
                                 size_t length, const char *region,
                                 wm_phone_result *out) {
  return parse(parser, text, length, region, out, true);
}

int32_t wm_phone_is_supported_region(const char *region) {
  try {
    // Built once; C++11 makes the initialization of a function-local static thread-safe.
    static const std::set<std::string> regions = [] {
      std::set<std::string> all;
      PhoneNumberUtil::GetInstance()->GetSupportedRegions(&all);
      return all;
    }();
    return regions.count(region) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

int32_t wm_phone_country_code_for_region(const char *region) {
  try {
    return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(region);
  } catch (...) {
    return 0;
  }
}

size_t wm_phone_national_prefix(const char *region, char *buffer,
                                size_t capacity) {
  if (capacity == 0) return 0;
  buffer[0] = '\0';
  try {
    std::string prefix;
    PhoneNumberUtil::GetInstance()->GetNddPrefixForRegion(region, true, &prefix);
    copy_string(prefix, buffer, capacity);
    return std::strlen(buffer);
  } catch (...) {
    buffer[0] = '\0';
    return 0;
  }
}

size_t wm_phone_region_for_country_code(int32_t country_code, char *buffer,
                                        size_t capacity) {
  if (capacity == 0) return 0;
  buffer[0] = '\0';
  try {
    std::string region;
    PhoneNumberUtil::GetInstance()->GetRegionCodeForCountryCode(country_code, &region);
    copy_string(region, buffer, capacity);
    return std::strlen(buffer);
  } catch (...) {
    buffer[0] = '\0';
    return 0;
  }
}

size_t wm_phone_metadata_fingerprint(char *buffer, size_t capacity) {
  if (capacity == 0) return 0;
  buffer[0] = '\0';
  try {
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    std::set<std::string> regions;
    util->GetSupportedRegions(&regions);
    uint64_t hash = 14695981039346656037ULL;
    std::string e164;
    PhoneNumber example;
    for (const std::string &region : regions) {  // std::set: sorted
      hash = fnv1a(hash, region);
      hash = fnv1a(hash, std::to_string(util->GetCountryCodeForRegion(region)));
      for (int type = 0; type <= PhoneNumberUtil::VOICEMAIL; ++type) {
        example.Clear();
        if (util->GetExampleNumberForType(
                region, static_cast<PhoneNumberUtil::PhoneNumberType>(type),
                &example)) {
          util->Format(example, PhoneNumberUtil::E164, &e164);
          hash = fnv1a(hash, e164);
        }
      }
    }
    std::set<int> codes;
    util->GetSupportedGlobalNetworkCallingCodes(&codes);
    for (int code : codes) {
      example.Clear();
      if (util->GetExampleNumberForNonGeoEntity(code, &example)) {
        util->Format(example, PhoneNumberUtil::E164, &e164);
        hash = fnv1a(hash, e164);
      }
    }
    char hex[17];
    snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
    copy_string(std::string(hex), buffer, capacity);
    return std::strlen(buffer);
  } catch (...) {
    return 0;
  }
}

size_t wm_phone_library_file(char *buffer, size_t capacity) {
  if (capacity == 0) return 0;
  buffer[0] = '\0';
  Dl_info info;
  void *symbol = reinterpret_cast<void *>(&PhoneNumberUtil::GetInstance);
  if (dladdr(symbol, &info) == 0 || info.dli_fname == nullptr) return 0;
  char resolved[PATH_MAX];
  if (realpath(info.dli_fname, resolved) == nullptr) return 0;
  copy_string(std::string(basename(resolved)), buffer, capacity);
  return std::strlen(buffer);
}

}  // extern "C"

size_t wm_phone_mask_prefix(const char *e164, char *buffer, size_t capacity) {
  if (capacity == 0) return 0;
  buffer[0] = '\0';
  try {
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util->Parse(e164, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return 0;
    std::string prefix = "+" + std::to_string(number.country_code());
    std::string national;
    util->GetNationalSignificantNumber(number, &national);
    int ndc = util->GetLengthOfNationalDestinationCode(number);
    // Never show so much that only two digits stay hidden.
    if (ndc > 0 && static_cast<size_t>(ndc) + 4 <= national.size()) {
      prefix += " " + national.substr(0, static_cast<size_t>(ndc));
    }
    copy_string(prefix, buffer, capacity);
    return std::strlen(buffer);
  } catch (...) {
    return 0;
  }
}
