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

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

static const char HEX[] = "0123456789abcdef";

/* Whether a byte of the 8 in w needs more than a copy: below 0x20 (newline among them), '"',
 * '\\' or from 0x80 (UTF-8 to check). Word at a time: text is mostly plain ASCII. */
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
static inline int special8(uint64_t w) {
  uint64_t below = (w - ONES * 0x20) & ~w;
  uint64_t quote = w ^ (ONES * '"'), slash = w ^ (ONES * '\\');
  uint64_t zero = ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash);
  return ((below | zero | w) & HIGHS) != 0;
}

static inline int special(uint8_t c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

/* The end of the run of bytes from p that need only a copy. */
static const uint8_t *plain_run(const uint8_t *p, const uint8_t *end) {
#ifdef __SSE2__
  /* 16 at a time: as signed bytes, "below 0x20" also catches 0x80 and up. */
  const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('\\');
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i hit = _mm_or_si128(_mm_cmplt_epi8(v, space),
                               _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, slash)));
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return p + __builtin_ctz((unsigned)mask);
    p += 16;
  }
#endif
  while (end - p >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    if (special8(w)) break;
    p += 8;
  }
  while (p < end && !special(*p)) p++;
  return p;
}

/* Writes the escape JSON.stringify writes for byte c (below 0x20, '"' or '\\'); returns its end. */
static uint8_t *escape(uint8_t *o, uint8_t c) {
  *o++ = '\\';
  switch (c) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\b': *o++ = 'b'; break;
    case '\f': *o++ = 'f'; break;
    case '\n': *o++ = 'n'; break;
    case '\r': *o++ = 'r'; break;
    case '\t': *o++ = 't'; break;
    default:
      *o++ = 'u';
      *o++ = '0';
      *o++ = '0';
      *o++ = HEX[c >> 4];
      *o++ = HEX[c & 15];
  }
  return o;
}

/* One record for the line at src[pos..] into dst[out..out_end): returns JSON_DONE and the ends
 * through *pos/*out, or why not (nothing is committed then). */
enum { JSON_DONE = 3 };
typedef struct {
  const uint8_t *src;
  size_t end, max_line, max_record;
  const uint8_t *prefix;
  size_t prefix_len;
} json_in;

static int json_record(const json_in *in, size_t *pos_io, uint8_t *dst, size_t *out_io, size_t out_end) {
  const uint8_t *p = in->src + *pos_io, *end = in->src + in->end, *start = p;
  uint8_t *o = dst + *out_io, *o_end = dst + out_end, *o_start = o;
  if ((size_t)(o_end - o) < in->prefix_len + 2) return JSON_FULL;
  memcpy(o, in->prefix, in->prefix_len);
  o += in->prefix_len;
  *o++ = '"';
  for (;;) {
    const uint8_t *run = p;
    p = plain_run(p, end);
    size_t n = (size_t)(p - run);
    if ((size_t)(p - start) > in->max_line) return JSON_SLOW;
    if ((size_t)(o_end - o) < n + 6) return JSON_FULL;
    memcpy(o, run, n);
    o += n;
    if (p == end) return JSON_NO_LINE_END;
    uint8_t c = *p;
    if (c == '\n') break;
    if (c < 0x80) {
      o = escape(o, c);
      p++;
      continue;
    }
    size_t k = utf8_seq(p, end);
    if (k == 0) return JSON_SLOW;
    memcpy(o, p, k);
    o += k;
    p += k;
  }
  if ((size_t)(o_end - o) < 3) return JSON_FULL;
  memcpy(o, "\"}\n", 3);
  o += 3;
  if ((size_t)(o - o_start) > in->max_record) return JSON_SLOW;
  *pos_io = (size_t)(p - in->src) + 1;
  *out_io = (size_t)(o - dst);
  return JSON_DONE;
}

static napi_value json_lines(napi_env env, napi_callback_info info) {
  fmt_args a;
  if (!get_args(env, info, &a)) return NULL;
  int32_t *s = a.state;
  json_in in = {a.src, (size_t)s[F_SRC_END], (size_t)s[F_MAX_LINE], (size_t)s[F_MAX_RECORD], a.extra, a.extra_len};
  size_t pos = (size_t)s[F_SRC], out = (size_t)s[F_DST], out_end = (size_t)s[F_DST_END];
  int why = JSON_NO_LINE_END;
  while (pos < in.end && (why = json_record(&in, &pos, a.dst, &out, out_end)) == JSON_DONE) why = JSON_NO_LINE_END;
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
