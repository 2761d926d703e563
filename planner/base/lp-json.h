/* lp-json.h: a small streaming JSON emitter into a GString, optionally
 * flushed to an LpOutput as it fills. Numbers are formatted here,
 * locale-independently: whole numbers as integers, others with at most 6
 * decimals, infinities as null. */
#pragma once

#include <glib.h>

#include "lp-output.h"

/* The version of the JSON lyncplan writes (the plan, sweep rows and
 * breakpoints): raised on any change a script could trip on (a member
 * removed, renamed or of another type); new members may appear without it.
 * the files in schema/ describe it. */
#define LP_JSON_SCHEMA_VERSION 2

/* Bytes an LpJson with a sink holds before it writes them out: a plan of
 * 10,000 sites (hundreds of megabytes of JSON) takes no more memory than this. */
#define LP_JSON_CHUNK 65536

typedef struct {
  GString *out;
  gboolean pretty;
  guint depth;
  gboolean need_comma;
  LpOutput *sink; /* nullable: @out is written to it whenever it holds LP_JSON_CHUNK bytes */
  GError *error;  /* the first failure writing to @sink; later output is dropped */
} LpJson;

/**
 * lp_json_finish:
 * @j: an emitter with a sink
 * @error: the first LP_ERROR_IO of writing to the sink ("cannot write PATH: reason")
 *
 * Writes what @j still holds to its sink and reports the first failure of
 * any write. Ownership of @j->error passes to @error.
 * Returns: FALSE with @error set when anything could not be written.
 */
gboolean lp_json_finish (LpJson *j, GError **error);

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

/**
 * lp_json_figure:
 * @key: the member name (inside an object), at most 48 bytes
 * @text: (nullable): the figure as the text report prints it ("1h5m", "99.9%")
 * @unit: the unit suffix, "minutes" or "percent"
 * @value: the number in @unit; an infinity (an unset dr-rpo: "none") is null
 *
 * Writes two members, @key with @text and @key_@unit with @value, the JSON
 * plan's one way of writing a figure with a unit.
 */
void lp_json_figure (LpJson *j, const char *key, const char *text, const char *unit, double value);

/**
 * lp_json_duration:
 * Writes @minutes as lp_json_figure() does: @key "1h5m" (or "none" for an
 * infinity) and @key_minutes 65 (or null).
 */
void lp_json_duration (LpJson *j, const char *key, double minutes);

/**
 * lp_json_percent:
 * @decimals: at most this many decimals in the text, as the report shows it
 *
 * Writes @percent as lp_json_figure() does: @key "99.9%" and @key_percent 99.9.
 */
void lp_json_percent (LpJson *j, const char *key, double percent, guint decimals);
