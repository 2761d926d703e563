/* lp-json.h: a small streaming JSON emitter into a GString. Numbers are
 * formatted here, locale-independently: whole numbers as integers, others
 * with at most 6 decimals, infinities as null. */
#pragma once

#include <glib.h>

typedef struct {
  GString *out;
  gboolean pretty;
  guint depth;
  gboolean need_comma;
} LpJson;

/* Each call writes one member (@key non-NULL, inside an object) or one array
 * element (@key NULL). */
void lp_json_begin_object (LpJson *j, const char *key);
void lp_json_end_object (LpJson *j);
void lp_json_begin_array (LpJson *j, const char *key);
void lp_json_end_array (LpJson *j);
void lp_json_string (LpJson *j, const char *key, const char *value); /* NULL: null */
void lp_json_int (LpJson *j, const char *key, guint64 value);
void lp_json_number (LpJson *j, const char *key, double value);
void lp_json_bool (LpJson *j, const char *key, gboolean value);
