/* The per-line work of log_timestamps and log_format = json (src/logs/line-format.ts), for the
 * common case: in JavaScript a copy per line costs ~100 ns of call and bounds checks, which at
 * 100-byte lines caps the log pipeline near 1 GiB/s; here it is a memchr and a memcpy.
 *
 *   stampLines(src, dst, stamp, state)  copies src into dst, starting each line with stamp
 *   jsonLines(src, dst, prefix, state)  encodes complete, valid UTF-8 lines as JSON records
 *
 * state is an Int32Array: [flag, srcPos, srcEnd, dstPos, dstEnd, maxLine, maxRecord], read and
 * written back. stampLines: flag in/out is "at the start of a line". jsonLines: flag out is why
 * it stopped (JSON_NO_LINE_END, JSON_FULL, JSON_SLOW: a line the JavaScript side must encode).
 * Both stop, with the positions written back, when dst has no room for what comes next. */
#include "tn.h"

#include <string.h>

enum { F_FLAG, F_SRC, F_SRC_END, F_DST, F_DST_END, F_MAX_LINE, F_MAX_RECORD, F_COUNT };
enum { JSON_NO_LINE_END = 0, JSON_FULL = 1, JSON_SLOW = 2 };

typedef struct {
  uint8_t *src, *dst, *extra;
  size_t src_len, dst_len, extra_len;
  int32_t *state;
} fmt_args;

static int get_args(napi_env env, napi_callback_info info, fmt_args *a) {
  size_t argc = 4;
  napi_value args[4];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  napi_value ab;
  void *data = NULL;
  if (argc < 4 || napi_get_buffer_info(env, args[0], (void **)&a->src, &a->src_len) != napi_ok ||
      napi_get_buffer_info(env, args[1], (void **)&a->dst, &a->dst_len) != napi_ok ||
      napi_get_buffer_info(env, args[2], (void **)&a->extra, &a->extra_len) != napi_ok ||
      napi_get_typedarray_info(env, args[3], &type, &length, &data, &ab, &offset) != napi_ok ||
      type != napi_int32_array || length < F_COUNT) {
    napi_throw_type_error(env, NULL, "(src, dst, buffer, state: Int32Array(7)) expected");
    return 0;
  }
  a->state = data;
  int32_t *s = a->state;
  if (s[F_SRC] < 0 || s[F_SRC_END] < s[F_SRC] || (size_t)s[F_SRC_END] > a->src_len || s[F_DST] < 0 ||
      s[F_DST_END] < s[F_DST] || (size_t)s[F_DST_END] > a->dst_len) {
    napi_throw_range_error(env, NULL, "state positions out of range");
    return 0;
  }
  return 1;
}

static napi_value stamp_lines(napi_env env, napi_callback_info info) {
  fmt_args a;
  if (!get_args(env, info, &a)) return NULL;
  int32_t *s = a.state;
  size_t pos = (size_t)s[F_SRC], end = (size_t)s[F_SRC_END];
  size_t out = (size_t)s[F_DST], out_end = (size_t)s[F_DST_END];
  int at_start = s[F_FLAG] != 0;
  while (pos < end) {
    if (at_start) {
      if (out_end - out < a.extra_len) break;
      memcpy(a.dst + out, a.extra, a.extra_len);
      out += a.extra_len;
      at_start = 0;
    }
    const uint8_t *nl = memchr(a.src + pos, '\n', end - pos);
    size_t line_end = nl == NULL ? end : (size_t)(nl - a.src) + 1;
    size_t n = line_end - pos;
    if (n > out_end - out) n = out_end - out;
    if (n == 0) break;
    memcpy(a.dst + out, a.src + pos, n);
    out += n;
    pos += n;
    if (nl != NULL && pos == line_end) at_start = 1;
  }
  s[F_FLAG] = at_start;
  s[F_SRC] = (int32_t)pos;
  s[F_DST] = (int32_t)out;
  return NULL;
}

/* Bytes JSON.stringify writes for c (a byte below 0x80), so records match the JavaScript path. */
static size_t escaped_len(uint8_t c) {
  if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') return 2;
  return c < 0x20 ? 6 : 1;
}

/* Length of the valid UTF-8 sequence at p (strict: no overlong forms, surrogates or code points
 * above U+10FFFF, as Node's isUtf8), or 0. */
static size_t utf8_seq(const uint8_t *p, const uint8_t *end) {
  uint8_t c = p[0];
  size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
  if (c < 0xc2 || c > 0xf4 || (size_t)(end - p) < n) return 0;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xc0) != 0x80) return 0;
  if (c == 0xe0 && p[1] < 0xa0) return 0;
  if (c == 0xed && p[1] > 0x9f) return 0;
  if (c == 0xf0 && p[1] < 0x90) return 0;
  if (c == 0xf4 && p[1] > 0x8f) return 0;
  return n;
}

/* The encoded length of line [p, end) inside quotes, or 0 when it is not valid UTF-8. */
static size_t json_len(const uint8_t *p, const uint8_t *end, int *valid) {
  size_t len = 0;
  *valid = 1;
  while (p < end) {
    if (*p < 0x80) {
      len += escaped_len(*p++);
      continue;
    }
    size_t n = utf8_seq(p, end);
    if (n == 0) {
      *valid = 0;
      return 0;
    }
    len += n;
    p += n;
  }
  return len;
}

static const char HEX[] = "0123456789abcdef";

static uint8_t *json_copy(uint8_t *out, const uint8_t *p, const uint8_t *end) {
  for (; p < end; p++) {
    uint8_t c = *p;
    if (c >= 0x20 && c != '"' && c != '\\') {
      *out++ = c;
      continue;
    }
    *out++ = '\\';
    switch (c) {
      case '"': *out++ = '"'; break;
      case '\\': *out++ = '\\'; break;
      case '\b': *out++ = 'b'; break;
      case '\f': *out++ = 'f'; break;
      case '\n': *out++ = 'n'; break;
      case '\r': *out++ = 'r'; break;
      case '\t': *out++ = 't'; break;
      default:
        *out++ = 'u';
        *out++ = '0';
        *out++ = '0';
        *out++ = HEX[c >> 4];
        *out++ = HEX[c & 15];
    }
  }
  return out;
}

static napi_value json_lines(napi_env env, napi_callback_info info) {
  fmt_args a;
  if (!get_args(env, info, &a)) return NULL;
  int32_t *s = a.state;
  size_t pos = (size_t)s[F_SRC], end = (size_t)s[F_SRC_END];
  size_t out = (size_t)s[F_DST], out_end = (size_t)s[F_DST_END];
  size_t max_line = (size_t)s[F_MAX_LINE], max_record = (size_t)s[F_MAX_RECORD];
  int why = JSON_NO_LINE_END;
  while (pos < end) {
    const uint8_t *nl = memchr(a.src + pos, '\n', end - pos);
    if (nl == NULL) break;
    const uint8_t *line = a.src + pos;
    int valid = 0;
    size_t len = (size_t)(nl - line) > max_line ? 0 : json_len(line, nl, &valid);
    size_t record = a.extra_len + len + 4; /* "line" "}\n */
    if (!valid || record > max_record) {
      why = JSON_SLOW;
      break;
    }
    if (out_end - out < record) {
      why = JSON_FULL;
      break;
    }
    uint8_t *o = a.dst + out;
    memcpy(o, a.extra, a.extra_len);
    o += a.extra_len;
    *o++ = '"';
    o = json_copy(o, line, nl);
    memcpy(o, "\"}\n", 3);
    out += record;
    pos = (size_t)(nl - a.src) + 1;
  }
  s[F_FLAG] = why;
  s[F_SRC] = (int32_t)pos;
  s[F_DST] = (int32_t)out;
  return NULL;
}

void tn_add_format(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "stampLines", NAPI_AUTO_LENGTH, stamp_lines, NULL, &fn);
  napi_set_named_property(env, exports, "stampLines", fn);
  napi_create_function(env, "jsonLines", NAPI_AUTO_LENGTH, json_lines, NULL, &fn);
  napi_set_named_property(env, exports, "jsonLines", fn);
}
