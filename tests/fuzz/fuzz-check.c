/* fuzz-check.c: see fuzz-check.h. */
#include "fuzz-check.h"

#include <string.h>
#include <zlib.h>

/* XML 1.0's Char: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF. */
static gboolean
xml_char (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Every character, raw or as a character reference (&#N; or &#xN;), an XML Char. */
static void
check_chars (const char *what, const char *data, gsize len)
{
  const char *end = data + len;

  if (!g_utf8_validate (data, (gssize) len, NULL))
    g_error ("%s: not UTF-8", what);
  for (const char *p = data; p < end; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (!xml_char (c))
      g_error ("%s: U+%04X at byte %td is not an XML character", what, c, p - data);
    if (c == '&' && p + 2 < end && p[1] == '#') {
      gboolean hex = p[2] == 'x';
      guint64 ref = g_ascii_strtoull (p + (hex ? 3 : 2), NULL, hex ? 16 : 10);
      if (ref > 0x10FFFF || !xml_char ((gunichar) ref))
        g_error ("%s: character reference at byte %td is not an XML character", what, p - data);
    }
  }
}

void
fuzz_check_xml (const char *what, const char *data, gsize len)
{
  static const GMarkupParser parser = { 0 };
  g_autoptr (GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_autoptr (GError) error = NULL;

  check_chars (what, data, len);
  if (!g_markup_parse_context_parse (ctx, data, (gssize) len, &error) ||
      !g_markup_parse_context_end_parse (ctx, &error))
    g_error ("%s: not well-formed XML: %s", what, error->message);
}

static guint32
le32 (const guint8 *p)
{
  return p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

/* A part's bytes: stored or raw deflate. */
static guint8 *
inflate_part (const char *what, const guint8 *in, gsize in_len, guint method, gsize out_len)
{
  guint8 *out = g_malloc (out_len + 1);
  z_stream z = { 0 };

  if (method == 0) {
    g_assert (in_len == out_len);
    memcpy (out, in, in_len);
    return out;
  }
  if (method != 8 || inflateInit2 (&z, -MAX_WBITS) != Z_OK)
    g_error ("%s: compression method %u", what, method);
  z.next_in = (Bytef *) in;
  z.avail_in = (uInt) in_len;
  z.next_out = out;
  z.avail_out = (uInt) out_len + 1;
  if (inflate (&z, Z_FINISH) != Z_STREAM_END || z.total_out != out_len)
    g_error ("%s: does not inflate to its %zu bytes", what, out_len);
  inflateEnd (&z);
  return out;
}

guint
fuzz_check_xlsx (const char *path)
{
  g_autofree char *zip = NULL;
  gsize len = 0;
  const guint8 *b, *eocd = NULL;
  guint parts = 0;

  if (!g_file_get_contents (path, &zip, &len, NULL) || len < 22)
    g_error ("%s: cannot read the workbook", path);
  b = (const guint8 *) zip;
  for (gsize i = len - 22; i + 1 > 0 && eocd == NULL; i--)
    if (le32 (b + i) == 0x06054b50)
      eocd = b + i;
  if (eocd == NULL)
    g_error ("%s: no ZIP end of central directory", path);
  const guint8 *c = b + le32 (eocd + 16);
  for (guint n = le16 (eocd + 10); n > 0; n--) {
    g_assert (c + 46 <= b + len && le32 (c) == 0x02014b50);
    guint method = le16 (c + 10), name_len = le16 (c + 28);
    gsize csize = le32 (c + 20), usize = le32 (c + 24);
    const guint8 *local = b + le32 (c + 42);
    g_autofree char *name = g_strndup ((const char *) c + 46, name_len);
    g_assert (local + 30 <= b + len && le32 (local) == 0x04034b50);
    const guint8 *data = local + 30 + le16 (local + 26) + le16 (local + 28);
    g_assert (data + csize <= b + len);
    if (g_str_has_suffix (name, ".xml") || g_str_has_suffix (name, ".rels")) {
      g_autofree guint8 *part = inflate_part (name, data, csize, method, usize);
      g_autofree char *what = g_strdup_printf ("%s: %s", path, name);
      fuzz_check_xml (what, (const char *) part, usize);
      parts++;
    }
    c += 46 + name_len + le16 (c + 30) + le16 (c + 32);
  }
  return parts;
}

void
fuzz_check_dot (const char *dot)
{
  gint braces = 0, brackets = 0;
  gboolean quoted = FALSE;

  if (!g_utf8_validate (dot, -1, NULL))
    g_error ("DOT text: not UTF-8");
  for (const char *p = dot; *p != '\0'; p++) {
    guchar c = (guchar) *p;
    if (quoted) {
      if (c == '\\' && p[1] != '\0')
        p++;
      else if (c == '"')
        quoted = FALSE;
      else if (c < 0x20 || c == 0x7f)
        g_error ("DOT text: control character 0x%02x in a string at byte %td", c, p - dot);
      continue;
    }
    quoted = c == '"';
    braces += (c == '{') - (c == '}');
    brackets += (c == '[') - (c == ']');
    if (braces < 0 || brackets < 0)
      g_error ("DOT text: unbalanced at byte %td", p - dot);
  }
  if (quoted || braces != 0 || brackets != 0)
    g_error ("DOT text: a string or a brace left open");
}

/* ---- JSON Schema, the subset schema/ uses ---- */

typedef struct {
  JsonObject *root; /* for $ref */
  const char *what;
} Schema;

static gboolean valid (const Schema *s, JsonObject *sch, JsonNode *doc, GString *why);

/* A subschema: an object, or true / false. */
static gboolean
valid_node (const Schema *s, JsonNode *sch, JsonNode *doc, GString *why)
{
  if (JSON_NODE_HOLDS_VALUE (sch) && json_node_get_value_type (sch) == G_TYPE_BOOLEAN) {
    if (!json_node_get_boolean (sch))
      g_string_append (why, "the schema 'false'");
    return json_node_get_boolean (sch);
  }
  return valid (s, json_node_get_object (sch), doc, why);
}

static const char *
node_type (JsonNode *n)
{
  if (JSON_NODE_HOLDS_OBJECT (n))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (n))
    return "array";
  if (JSON_NODE_HOLDS_NULL (n))
    return "null";
  switch (json_node_get_value_type (n) == G_TYPE_STRING    ? 0
          : json_node_get_value_type (n) == G_TYPE_BOOLEAN ? 1
          : json_node_get_value_type (n) == G_TYPE_INT64   ? 2
                                                           : 3) {
  case 0: return "string";
  case 1: return "boolean";
  case 2: return "integer";
  default: return "number";
  }
}

static gboolean
type_is (JsonNode *n, const char *type)
{
  const char *t = node_type (n);

  if (strcmp (type, "number") == 0)
    return strcmp (t, "number") == 0 || strcmp (t, "integer") == 0;
  if (strcmp (type, "integer") == 0 && strcmp (t, "number") == 0) {
    double v = json_node_get_double (n);
    return v == (double) (gint64) v;
  }
  return strcmp (t, type) == 0;
}

static gboolean
check_type (JsonNode *type, JsonNode *doc)
{
  if (JSON_NODE_HOLDS_ARRAY (type)) {
    JsonArray *a = json_node_get_array (type);
    for (guint i = 0; i < json_array_get_length (a); i++)
      if (type_is (doc, json_array_get_string_element (a, i)))
        return TRUE;
    return FALSE;
  }
  return type_is (doc, json_node_get_string (type));
}

static double
number (JsonNode *n)
{
  return json_node_get_value_type (n) == G_TYPE_INT64 ? (double) json_node_get_int (n)
                                                      : json_node_get_double (n);
}

static gboolean
equal (JsonNode *a, JsonNode *b)
{
  return json_node_equal (a, b);
}

static gboolean
check_object (const Schema *s, JsonObject *sch, JsonObject *o, GString *why)
{
  JsonObject *props = json_object_has_member (sch, "properties")
                        ? json_object_get_object_member (sch, "properties")
                        : NULL;
  JsonNode *extra = json_object_get_member (sch, "additionalProperties");
  g_autoptr (GList) members = json_object_get_members (o);

  guint size = json_object_get_size (o);
  if ((json_object_has_member (sch, "minProperties") &&
       size < json_object_get_int_member (sch, "minProperties")) ||
      (json_object_has_member (sch, "maxProperties") &&
       size > json_object_get_int_member (sch, "maxProperties"))) {
    g_string_append_printf (why, "%u members: too few or too many", size);
    return FALSE;
  }
  if (json_object_has_member (sch, "required")) {
    JsonArray *req = json_object_get_array_member (sch, "required");
    for (guint i = 0; i < json_array_get_length (req); i++)
      if (!json_object_has_member (o, json_array_get_string_element (req, i))) {
        g_string_append_printf (why, "member '%s' missing", json_array_get_string_element (req, i));
        return FALSE;
      }
  }
  for (GList *l = members; l != NULL; l = l->next) {
    JsonNode *v = json_object_get_member (o, l->data);
    if (props != NULL && json_object_has_member (props, l->data)) {
      if (!valid_node (s, json_object_get_member (props, l->data), v, why)) {
        g_string_prepend (why, "/");
        g_string_prepend (why, l->data);
        return FALSE;
      }
    } else if (extra != NULL && JSON_NODE_HOLDS_VALUE (extra) && !json_node_get_boolean (extra)) {
      g_string_append_printf (why, "member '%s' not allowed", (char *) l->data);
      return FALSE;
    } else if (extra != NULL && JSON_NODE_HOLDS_OBJECT (extra) &&
               !valid (s, json_node_get_object (extra), v, why)) {
      return FALSE;
    }
  }
  if (json_object_has_member (sch, "dependentRequired")) {
    JsonObject *dep = json_object_get_object_member (sch, "dependentRequired");
    g_autoptr (GList) keys = json_object_get_members (dep);
    for (GList *l = keys; l != NULL; l = l->next) {
      JsonArray *need = json_object_get_array_member (dep, l->data);
      for (guint i = 0; json_object_has_member (o, l->data) && i < json_array_get_length (need);
           i++)
        if (!json_object_has_member (o, json_array_get_string_element (need, i))) {
          g_string_append_printf (why, "'%s' needs '%s'", (char *) l->data,
                                  json_array_get_string_element (need, i));
          return FALSE;
        }
    }
  }
  return TRUE;
}

static gboolean
check_array (const Schema *s, JsonObject *sch, JsonArray *a, GString *why)
{
  guint n = json_array_get_length (a);

  if (json_object_has_member (sch, "minItems") &&
      n < json_object_get_int_member (sch, "minItems")) {
    g_string_append (why, "too few items");
    return FALSE;
  }
  for (guint i = 0; json_object_has_member (sch, "items") && i < n; i++)
    if (!valid_node (s, json_object_get_member (sch, "items"), json_array_get_element (a, i),
                     why)) {
      g_autofree char *at = g_strdup_printf ("[%u]/", i);
      g_string_prepend (why, at);
      return FALSE;
    }
  if (json_object_has_member (sch, "uniqueItems") &&
      json_object_get_boolean_member (sch, "uniqueItems"))
    for (guint i = 0; i < n; i++)
      for (guint k = i + 1; k < n; k++)
        if (equal (json_array_get_element (a, i), json_array_get_element (a, k))) {
          g_string_append (why, "items not unique");
          return FALSE;
        }
  return TRUE;
}

static gboolean
check_scalar (JsonObject *sch, JsonNode *doc, GString *why)
{
  if (type_is (doc, "number")) {
    double v = number (doc);
    if ((json_object_has_member (sch, "minimum") &&
         v < number (json_object_get_member (sch, "minimum"))) ||
        (json_object_has_member (sch, "maximum") &&
         v > number (json_object_get_member (sch, "maximum"))) ||
        (json_object_has_member (sch, "exclusiveMinimum") &&
         v <= number (json_object_get_member (sch, "exclusiveMinimum"))) ||
        (json_object_has_member (sch, "exclusiveMaximum") &&
         v >= number (json_object_get_member (sch, "exclusiveMaximum")))) {
      g_string_append_printf (why, "%g out of range", v);
      return FALSE;
    }
  }
  if (type_is (doc, "string")) {
    const char *text = json_node_get_string (doc);
    glong len = g_utf8_strlen (text, -1);
    if ((json_object_has_member (sch, "minLength") &&
         len < json_object_get_int_member (sch, "minLength")) ||
        (json_object_has_member (sch, "maxLength") &&
         len > json_object_get_int_member (sch, "maxLength"))) {
      g_string_append (why, "string too short or too long");
      return FALSE;
    }
    if (json_object_has_member (sch, "pattern") &&
        !g_regex_match_simple (json_object_get_string_member (sch, "pattern"), text, 0, 0)) {
      g_string_append_printf (why, "'%s' does not match %s", text,
                              json_object_get_string_member (sch, "pattern"));
      return FALSE;
    }
  }
  return TRUE;
}

static guint
count_valid (const Schema *s, JsonArray *of, JsonNode *doc)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (of); i++) {
    g_autoptr (GString) ignored = g_string_new (NULL);
    n += valid_node (s, json_array_get_element (of, i), doc, ignored);
  }
  return n;
}

static const char *const known_keywords[] = { "$schema",
                                              "$id",
                                              "title",
                                              "description",
                                              "type",
                                              "properties",
                                              "required",
                                              "additionalProperties",
                                              "items",
                                              "enum",
                                              "const",
                                              "minimum",
                                              "maximum",
                                              "minItems",
                                              "minLength",
                                              "maxItems",
                                              "maxLength",
                                              "exclusiveMinimum",
                                              "exclusiveMaximum",
                                              "pattern",
                                              "$ref",
                                              "anyOf",
                                              "oneOf",
                                              "allOf",
                                              "not",
                                              "if",
                                              "then",
                                              "else",
                                              "minProperties",
                                              "maxProperties",
                                              "dependentRequired",
                                              "uniqueItems",
                                              "$defs",
                                              "$comment",
                                              "examples",
                                              NULL };

static gboolean
combinators (const Schema *s, JsonObject *sch, JsonNode *doc, GString *why)
{
  if (json_object_has_member (sch, "anyOf") &&
      count_valid (s, json_object_get_array_member (sch, "anyOf"), doc) == 0) {
    g_string_append (why, "no anyOf matches");
    return FALSE;
  }
  if (json_object_has_member (sch, "oneOf") &&
      count_valid (s, json_object_get_array_member (sch, "oneOf"), doc) != 1) {
    g_string_append (why, "not exactly one oneOf matches");
    return FALSE;
  }
  if (json_object_has_member (sch, "allOf") &&
      count_valid (s, json_object_get_array_member (sch, "allOf"), doc) !=
        json_array_get_length (json_object_get_array_member (sch, "allOf"))) {
    g_string_append (why, "an allOf fails");
    return FALSE;
  }
  if (json_object_has_member (sch, "not")) {
    g_autoptr (GString) ignored = g_string_new (NULL);
    if (valid_node (s, json_object_get_member (sch, "not"), doc, ignored)) {
      g_string_append (why, "matches its 'not'");
      return FALSE;
    }
  }
  if (json_object_has_member (sch, "if")) {
    g_autoptr (GString) ignored = g_string_new (NULL);
    if (valid_node (s, json_object_get_member (sch, "if"), doc, ignored) &&
        json_object_has_member (sch, "then") &&
        !valid_node (s, json_object_get_member (sch, "then"), doc, why))
      return FALSE;
    g_string_truncate (ignored, 0);
    if (!valid_node (s, json_object_get_member (sch, "if"), doc, ignored) &&
        json_object_has_member (sch, "else") &&
        !valid_node (s, json_object_get_member (sch, "else"), doc, why))
      return FALSE;
  }
  return TRUE;
}

static gboolean
valid (const Schema *s, JsonObject *sch, JsonNode *doc, GString *why)
{
  g_autoptr (GList) keys = json_object_get_members (sch);

  for (GList *l = keys; l != NULL; l = l->next)
    if (!g_strv_contains (known_keywords, l->data))
      g_error ("%s: the schema uses '%s', which fuzz_check_schema() does not check", s->what,
               (char *) l->data);
  if (json_object_has_member (sch, "$ref")) {
    const char *ref = json_object_get_string_member (sch, "$ref");
    g_assert (g_str_has_prefix (ref, "#/$defs/"));
    JsonObject *defs = json_object_get_object_member (s->root, "$defs");
    if (!valid_node (s, json_object_get_member (defs, ref + 8), doc, why))
      return FALSE;
  }
  if (json_object_has_member (sch, "type") &&
      !check_type (json_object_get_member (sch, "type"), doc)) {
    g_string_append_printf (why, "a %s where the schema wants another type", node_type (doc));
    return FALSE;
  }
  if (json_object_has_member (sch, "const") &&
      !equal (json_object_get_member (sch, "const"), doc)) {
    g_string_append (why, "not its const");
    return FALSE;
  }
  if (json_object_has_member (sch, "enum")) {
    JsonArray *e = json_object_get_array_member (sch, "enum");
    gboolean found = FALSE;
    for (guint i = 0; i < json_array_get_length (e) && !found; i++)
      found = equal (json_array_get_element (e, i), doc);
    if (!found) {
      g_string_append (why, "not one of its enum");
      return FALSE;
    }
  }
  if (JSON_NODE_HOLDS_OBJECT (doc) && !check_object (s, sch, json_node_get_object (doc), why))
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (doc) && !check_array (s, sch, json_node_get_array (doc), why))
    return FALSE;
  return check_scalar (sch, doc, why) && combinators (s, sch, doc, why);
}

void
fuzz_check_schema (JsonNode *schema, JsonNode *doc, const char *what)
{
  Schema s = { .root = json_node_get_object (schema), .what = what };
  g_autoptr (GString) why = g_string_new (NULL);

  if (!valid (&s, s.root, doc, why))
    g_error ("%s does not match its schema: %s", what, why->str);
}
