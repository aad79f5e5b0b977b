// Typed wrappers over libcurl's variadic calls, which Swift cannot call directly.
// Every symbol is prefixed wm_curl_; each wrapper passes exactly one argument type.
#ifndef WM_CURL_H
#define WM_CURL_H

#include <curl/curl.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef size_t (*wm_curl_data_fn)(char *_Nonnull data, size_t size, size_t count, void *_Nullable context);
typedef int (*wm_curl_seek_fn)(void *_Nullable context, curl_off_t offset, int origin);

static inline CURLcode wm_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

static inline CURLcode wm_curl_set_long(CURL *_Nonnull handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode wm_curl_set_string(CURL *_Nonnull handle, CURLoption option, const char *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode wm_curl_set_slist(CURL *_Nonnull handle, CURLoption option, struct curl_slist *_Nullable list) {
    return curl_easy_setopt(handle, option, list);
}

static inline CURLcode wm_curl_set_context(CURL *_Nonnull handle, CURLoption option, void *_Nullable context) {
    return curl_easy_setopt(handle, option, context);
}

static inline CURLcode wm_curl_set_data_fn(CURL *_Nonnull handle, CURLoption option, wm_curl_data_fn _Nullable fn) {
    return curl_easy_setopt(handle, option, fn);
}

static inline CURLcode wm_curl_set_seek_fn(CURL *_Nonnull handle, CURLoption option, wm_curl_seek_fn _Nullable fn) {
    return curl_easy_setopt(handle, option, fn);
}

static inline CURLcode wm_curl_get_long(CURL *_Nonnull handle, CURLINFO info, long *_Nonnull value) {
    return curl_easy_getinfo(handle, info, value);
}

#ifdef __cplusplus
}
#endif

#endif
