/* test-units.c: durations, percentages, counts: parsing and printing. */
#include <glib.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-json.h"
#include "lp-output.h"
#include "lp-ruleset.h"
#include "lp-test.h"
#include "lp-units.h"
#include "lp-write.h"

typedef struct {
  const char *name;
  LpValueType type;
  const char *input;
  double value;
  const char *printed; /* as lyncplan writes the value back */
  const char *error;   /* NULL when it parses */
} UnitRow;

static const UnitRow rows[] = {
  { "seconds", LP_VALUE_DURATION, "90s", 1.5, "1m30s", NULL },
  { "minutes", LP_VALUE_DURATION, "30m", 30, "30m", NULL },
  { "hours", LP_VALUE_DURATION, "4h", 240, "4h", NULL },
  { "days", LP_VALUE_DURATION, "1d", 1440, "24h", NULL },
  { "compound", LP_VALUE_DURATION, "1h30m", 90, "1h30m", NULL },
  { "zero", LP_VALUE_DURATION, "0m", 0, "0m", NULL },
  { "hours and minutes printed", LP_VALUE_DURATION, "65m", 65, "1h5m", NULL },
  { "bare number", LP_VALUE_DURATION, "30", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '30' (a bare number has no unit)" },
  { "negative duration", LP_VALUE_DURATION, "-5m", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '-5m' (negative)" },
  { "unknown unit", LP_VALUE_DURATION, "3w", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '3w' ('w' is not a unit: use d, h, m or s)" },
  { "min is not a unit", LP_VALUE_DURATION, "60min", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '60min' ('min' is not a unit: use d, h, m or s)" },
  { "unit twice", LP_VALUE_DURATION, "1h1h", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '1h1h' (each unit once, largest first, as in 1d2h30m)" },
  { "smaller unit first", LP_VALUE_DURATION, "30m1h", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '30m1h' (each unit once, largest first, as in 1d2h30m)" },
  { "space before the unit", LP_VALUE_DURATION, "30 m", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '30 m' (a unit must follow the number)" },
  { "every unit", LP_VALUE_DURATION, "1d1h1m30s", 1441 + 60 + 0.5, "25h1m30s", NULL },
  { "empty duration", LP_VALUE_DURATION, "", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '' (empty)" },
  { "huge duration", LP_VALUE_DURATION, "99999999999999999999d", 0, NULL,
    "expected a duration with a unit such as 30m, 4h, 1d or 1h30m, got '99999999999999999999d' (number too large)" },
  { "percent", LP_VALUE_PERCENT, "99.9", 99.9, "99.9%", NULL },
  { "percent sign", LP_VALUE_PERCENT, "99.99%", 99.99, "99.99%", NULL },
  { "percent junk", LP_VALUE_PERCENT, "high", 0, NULL,
    "expected a percentage such as 99.9 or 99.9%, got 'high'" },
  { "percent comma", LP_VALUE_PERCENT, "99,9", 0, NULL,
    "expected a percentage such as 99.9 or 99.9%, got '99,9'" },
  { "percent in hexadecimal", LP_VALUE_PERCENT, "0x63", 0, NULL,
    "expected a percentage such as 99.9 or 99.9%, got '0x63'" },
  { "percent infinite", LP_VALUE_PERCENT, "inf", 0, NULL,
    "expected a percentage such as 99.9 or 99.9%, got 'inf'" },
  { "number", LP_VALUE_NUMBER, "6660", 6660, "6660", NULL },
  { "number with exponent", LP_VALUE_NUMBER, "2.5e3", 2500, "2500", NULL },
  { "number in hexadecimal", LP_VALUE_NUMBER, "0x1A", 0, NULL, "expected a number, got '0x1A'" },
  { "number overflowing", LP_VALUE_NUMBER, "1e999", 0, NULL, "expected a number, got '1e999'" },
  { "number not a number", LP_VALUE_NUMBER, "nan", 0, NULL, "expected a number, got 'nan'" },
  { "number with a space", LP_VALUE_NUMBER, " 5", 0, NULL, "expected a number, got ' 5'" },
  { "number junk", LP_VALUE_NUMBER, "6k", 0, NULL, "expected a number, got '6k'" },
  { "bool yes", LP_VALUE_BOOL, "yes", 1, "true", NULL },
  { "bool false", LP_VALUE_BOOL, "FALSE", 0, "false", NULL },
  { "bool junk", LP_VALUE_BOOL, "maybe", 0, NULL, "expected true or false, got 'maybe'" },
};

static void
test_row (void **state)
{
  const UnitRow *row = *state;
  g_autoptr (GError) error = NULL;
  g_autofree char *printed = NULL;
  double value = -1;
  gboolean ok = lp_ruleset_parse_value (row->type, row->input, &value, &error);

  if (row->error != NULL) {
    assert_false (ok);
    assert_string_equal (error->message, row->error);
    assert_true (value == -1); /* untouched on failure */
    return;
  }
  assert_true (ok);
  assert_true (fabs (value - row->value) < 1e-9);
  printed = lp_ruleset_format_value (row->type, value);
  assert_string_equal (printed, row->printed);
}

typedef struct {
  const char *name;
  const char *input;
  guint64 value;
  const char *error;
} CountRow;

static const CountRow count_rows[] = {
  { "count", "5000", 5000, NULL },
  { "count zero", "0", 0, NULL },
  { "count negative", "-5", 0, "expected a whole number, 0 or more, got '-5'" },
  { "count fraction", "5.5", 0, "expected a whole number, 0 or more, got '5.5'" },
  { "count separator", "5,000", 0, "expected a whole number, 0 or more, got '5,000'" },
  { "count empty", "", 0, "expected a whole number, 0 or more, got ''" },
  { "count largest", "9007199254740991", 9007199254740991ULL, NULL },
  { "count overflow", "9007199254740992", 0,
    "number too large: '9007199254740992' (at most 9007199254740991)" },
  { "count far overflow", "123456789012345678901234567890", 0,
    "number too large: '123456789012345678901234567890' (at most 9007199254740991)" },
};

static void
test_count (void **state)
{
  const CountRow *row = *state;
  g_autoptr (GError) error = NULL;
  guint64 value = 7;
  gboolean ok = lp_parse_count (row->input, &value, &error);

  if (row->error != NULL) {
    assert_false (ok);
    assert_string_equal (error->message, row->error);
    return;
  }
  assert_true (ok);
  assert_true (value == row->value);
}

static void
test_format (void **state)
{
  g_autofree char *a = lp_format_count (80000);
  g_autofree char *b = lp_format_count (999);
  g_autofree char *c = lp_format_count (1234567);
  g_autofree char *d = lp_format_decimal (99.99904935, 4);
  g_autofree char *e = lp_format_duration (INFINITY);
  g_autofree char *f = lp_format_decimal (-0.0000001, 4);

  assert_string_equal (a, "80,000");
  assert_string_equal (b, "999");
  assert_string_equal (c, "1,234,567");
  assert_string_equal (d, "99.999");
  assert_string_equal (e, "none");
  assert_string_equal (f, "0");
}

typedef struct {
  const char *name;
  double amount;
  const char *currency;
  const char *expected;
} MoneyRow;

static const MoneyRow money_rows[] = {
  { "money: thousands and cents", 1234567.5, "USD", "USD 1,234,567.50" },
  { "money: under a thousand", 999.994, "EUR", "EUR 999.99" },
  { "money: rounds up to the next thousand", 999.995, "EUR", "EUR 1,000.00" },
  { "money: zero", 0, "GBP", "GBP 0.00" },
  { "money: a saving", -12, "EUR", "-EUR 12.00" },
  { "money: less than a cent is no saving", -0.001, "EUR", "EUR 0.00" },
  { "money: a column headed with its currency", 276402, NULL, "276,402.00" },
};

/* lp_append_count() and lp_put_count() write what printf writes, at every
 * length and around every power of ten, into a string with room and one
 * without (the room is made). */
static void
test_append_count (void **state)
{
  (void) state;
  for (guint d = 0; d <= 20; d++) {
    guint64 ten = 1;
    for (guint k = 0; k < d; k++)
      ten *= 10;
    for (gint64 delta = -2; delta <= 2; delta++) {
      guint64 n = d == 20 ? G_MAXUINT64 + (guint64) (delta - 2) : ten + (guint64) delta;
      g_autofree char *want = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
      g_autoptr (GString) tight = g_string_new ("x");
      g_autoptr (GString) roomy = g_string_sized_new (64);
      char buf[LP_COUNT_MAX_DIGITS + 1];

      if (d == 0 && delta < 0)
        continue;
      g_string_truncate (tight, 0);
      lp_append_count (tight, n);
      assert_string_equal (tight->str, want);
      assert_int_equal (tight->len, strlen (want));
      g_string_append (roomy, "a,");
      lp_append_count (roomy, n);
      lp_append_count (roomy, n % 10);
      assert_true (g_str_has_prefix (roomy->str, "a,"));
      assert_int_equal (roomy->len, 2 + strlen (want) + 1);
      assert_memory_equal (roomy->str + 2, want, strlen (want));
      assert_int_equal (roomy->str[roomy->len - 1], '0' + (int) (n % 10));
      *lp_put_count (buf, n) = '\0';
      assert_string_equal (buf, want);
    }
  }
}

static void
test_money (void **state)
{
  const MoneyRow *row = *state;
  g_autofree char *text = lp_format_money (row->amount, row->currency);

  assert_string_equal (text, row->expected);
}

typedef struct {
  const char *name;
  guint indent, hang, width;
  const char *text;
  const char *expected;
} WrapRow;

static const WrapRow wrap_rows[] = {
  { "wrap: a short line is kept as it is, gaps too", 2, 4, 30, "allowed  a year    8h",
    "  allowed  a year    8h\n" },
  { "wrap: at the last space that fits", 0, 2, 20, "one two three four five six seven",
    "one two three four\n  five six seven\n" },
  { "wrap: a hanging indent", 4, 9, 24, "1. first second third fourth fifth",
    "    1. first second\n         third fourth\n         fifth\n" },
  { "wrap: a word longer than a line stays whole", 2, 2, 10, "a Invoke-CsPoolFailover b",
    "  a\n  Invoke-CsPoolFailover\n  b\n" },
  { "wrap: a final newline is a blank line", 0, 0, 10, "text\n", "text\n\n" },
  { "wrap: columns are characters, not bytes", 0, 0, 12, "Zürich Łódź Köln",
    "Zürich Łódź\nKöln\n" },
};

static void
test_wrap (void **state)
{
  const WrapRow *row = *state;
  g_autoptr (GString) out = g_string_new (NULL);

  lp_text_append_wrapped (out, row->indent, row->hang, row->text, row->width);
  assert_string_equal (out->str, row->expected);
}

static gboolean
same_value (double a, double b)
{
  return (isnan (a) && isnan (b)) || a == b; /* -0 == +0 */
}

/* The engine's libm-free rounding gives libm's values. */
static void
test_rounding (void **state)
{
  static const double edges[] = { 0,
                                  0.5,
                                  1.5,
                                  2.5,
                                  0.49999999999999994,
                                  1e-9,
                                  6660,
                                  4.5e15,
                                  LP_WHOLE_ABOVE - 0.5,
                                  LP_WHOLE_ABOVE,
                                  LP_MAX_EXACT,
                                  1e300,
                                  INFINITY,
                                  NAN };
  GRand *rand = g_rand_new_with_seed (4);

  for (guint i = 0; i < 2 * G_N_ELEMENTS (edges) + 100000; i++) {
    double x = i < 2 * G_N_ELEMENTS (edges) ? (i % 2 ? -1 : 1) * edges[i / 2]
                                            : g_rand_double_range (rand, -1e6, 1e6) / (1 + i % 7);
    if (!same_value (lp_floor (x), floor (x)) || !same_value (lp_ceil (x), ceil (x)) ||
        !same_value (lp_round (x), round (x)))
      fail_msg ("rounding %.17g: floor %.17g/%.17g ceil %.17g/%.17g round %.17g/%.17g", x,
                lp_floor (x), floor (x), lp_ceil (x), ceil (x), lp_round (x), round (x));
  }
  g_rand_free (rand);
}

/* Writes @n members through @j, checking after each that @j holds no more
 * than a chunk and the member just written. */
static void
json_members (LpJson *j, guint n)
{
  lp_json_begin_object (j, NULL);
  lp_json_begin_array (j, "names");
  for (guint i = 0; i < n; i++) {
    g_autofree char *name = g_strdup_printf ("server-%u.\"example\".com", i);
    lp_json_string (j, NULL, name);
    if (j->sink != NULL)
      assert_true (j->out->len <= LP_JSON_CHUNK + 64);
  }
  lp_json_end_array (j);
  lp_json_end_object (j);
}

/* JSON with a sink is written as it is built, in chunks, and the bytes are
 * those of the document built whole (issue 24: 10,000 sites held hundreds of
 * megabytes); a sink that fails reports its reason once. */
static void
test_json_stream (void **state)
{
  g_autoptr (GString) whole = g_string_new (NULL);
  g_autoptr (GString) part = g_string_new (NULL);
  g_autoptr (LpOutput) mem = lp_output_new_memory ();
  g_autoptr (LpOutput) full = lp_output_new ("/dev/full", LP_OUTPUT_STREAM, NULL, NULL);
  LpJson a = { .out = whole, .pretty = TRUE };
  LpJson b = { .out = part, .pretty = TRUE, .sink = mem };
  LpJson c = { .out = g_string_new (NULL), .sink = full };
  g_autoptr (GError) error = NULL;
  gsize len;

  (void) state;
  json_members (&a, 100000);
  json_members (&b, 100000);
  assert_true (whole->len > 30 * LP_JSON_CHUNK);
  assert_true (lp_json_finish (&b, &error));
  assert_true (lp_output_commit (mem, &error));
  assert_string_equal (lp_output_contents (mem, &len), whole->str);
  assert_int_equal (len, whole->len);
  assert_non_null (full);
  json_members (&c, 100000);
  assert_false (lp_json_finish (&c, &error));
  assert_string_equal (error->message, "cannot write /dev/full: No space left on device");
  g_string_free (c.out, TRUE);
}

int
main (void)
{
  LP_TEST_TABLE (tests, rows, test_row);
  LP_TEST_TABLE (counts, count_rows, test_count);
  g_array_append_vals (tests, counts->data, counts->len);
  LP_TEST_TABLE (money, money_rows, test_money);
  g_array_append_vals (tests, money->data, money->len);
  LP_TEST_TABLE (wrap, wrap_rows, test_wrap);
  g_array_append_vals (tests, wrap->data, wrap->len);
  LP_TEST_ADD (tests, test_format);
  LP_TEST_ADD (tests, test_append_count);
  LP_TEST_ADD (tests, test_rounding);
  LP_TEST_ADD (tests, test_json_stream);
  return LP_TEST_RUN ("units", tests);
}
