/* lp-json.c: see lp-json.h. */
#include "lp-json.h"

#include <math.h>
#include <string.h>

#include "lp-units.h"

static void
escape (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++) {
    guchar c = (guchar) *s;
    gsize plain = strcspn (s,
                           "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
                           "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f");
    if (plain > 0) {
      g_string_append_len (out, s, (gssize) plain);
      s += plain - 1;
      continue;
    }
    if (c == '"' || c == '\\')
      g_string_append_printf (out, "\\%c", c);
    else if (c == '\n')
      g_string_append (out, "\\n");
    else if (c < 0x20 || c == 0x7f)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_c (out, (char) c);
  }
  g_string_append_c (out, '"');
}

/* Writes @j->out to the sink once it holds LP_JSON_CHUNK bytes (at each
 * value's start: a value is small, a long string at most its own length). */
static void
flush (LpJson *j, gsize at_least)
{
  if (j->sink == NULL || j->out->len < at_least || j->out->len == 0)
    return;
  if (j->error == NULL)
    lp_output_put (j->sink, j->out->str, j->out->len, &j->error);
  g_string_truncate (j->out, 0);
}

gboolean
lp_json_finish (LpJson *j, GError **error)
{
  flush (j, 0);
  if (j->error != NULL) {
    g_propagate_error (error, g_steal_pointer (&j->error));
    return FALSE;
  }
  return TRUE;
}

static void
start_value (LpJson *j, const char *key)
{
  flush (j, LP_JSON_CHUNK);
  if (j->need_comma)
    g_string_append_c (j->out, ',');
  if (j->pretty && j->depth > 0) {
    g_string_append_c (j->out, '\n');
    for (guint i = 0; i < j->depth; i++)
      g_string_append (j->out, "  ");
  }
  if (key != NULL) {
    escape (j->out, key);
    g_string_append (j->out, j->pretty ? ": " : ":");
  }
  j->need_comma = TRUE;
}

static void
open_container (LpJson *j, const char *key, char c)
{
  start_value (j, key);
  g_string_append_c (j->out, c);
  j->depth++;
  j->need_comma = FALSE;
}

static void
close_container (LpJson *j, char c)
{
  gboolean empty = !j->need_comma;

  j->depth--;
  if (j->pretty && !empty) {
    g_string_append_c (j->out, '\n');
    for (guint i = 0; i < j->depth; i++)
      g_string_append (j->out, "  ");
  }
  g_string_append_c (j->out, c);
  j->need_comma = TRUE;
}

void
lp_json_begin_object (LpJson *j, const char *key)
{
  open_container (j, key, '{');
}
void
lp_json_end_object (LpJson *j)
{
  close_container (j, '}');
}
void
lp_json_begin_array (LpJson *j, const char *key)
{
  open_container (j, key, '[');
}
void
lp_json_end_array (LpJson *j)
{
  close_container (j, ']');
}

void
lp_json_string (LpJson *j, const char *key, const char *value)
{
  start_value (j, key);
  if (value == NULL)
    g_string_append (j->out, "null");
  else
    escape (j->out, value);
}

void
lp_json_int (LpJson *j, const char *key, guint64 value)
{
  start_value (j, key);
  g_string_append_printf (j->out, "%" G_GUINT64_FORMAT, value);
}

void
lp_json_number (LpJson *j, const char *key, double value)
{
  g_autofree char *text = NULL;

  start_value (j, key);
  if (!isfinite (value)) {
    g_string_append (j->out, "null");
    return;
  }
  text = lp_format_decimal (value, 6);
  g_string_append (j->out, text);
}

void
lp_json_bool (LpJson *j, const char *key, gboolean value)
{
  start_value (j, key);
  g_string_append (j->out, value ? "true" : "false");
}

void
lp_json_figure (LpJson *j, const char *key, const char *text, const char *unit, double value)
{
  char name[64];

  g_return_if_fail (strlen (key) + strlen (unit) < sizeof name - 1);
  g_snprintf (name, sizeof name, "%s_%s", key, unit);
  lp_json_string (j, key, text);
  lp_json_number (j, name, value);
}

void
lp_json_duration (LpJson *j, const char *key, double minutes)
{
  g_autofree char *text = lp_format_duration (minutes);

  lp_json_figure (j, key, text, "minutes", minutes);
}

void
lp_json_percent (LpJson *j, const char *key, double percent, guint decimals)
{
  g_autofree char *num = lp_format_decimal (percent, decimals);
  g_autofree char *text = g_strdup_printf ("%s%%", num);

  lp_json_figure (j, key, text, "percent", percent);
}
