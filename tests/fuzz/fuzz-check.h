/* fuzz-check.h: in-process checks of what the writers wrote, for the fuzz
 * target: XML parts well-formed (GMarkup's parser plus XML 1.0's Char
 * production, which GMarkup does not check), every part of a workbook, and
 * the diagram's DOT text lexically sound. Each aborts (g_error) on a
 * failure, naming what and where. */
#pragma once

#include <glib.h>

/**
 * fuzz_check_xml:
 * @what: the part's name, for the message
 * @data: (array length=len): the document
 */
void fuzz_check_xml (const char *what, const char *data, gsize len);

/**
 * fuzz_check_xlsx:
 * @path: a workbook (a ZIP file)
 *
 * Reads the ZIP's central directory, inflates every part and checks each
 * .xml and .rels part with fuzz_check_xml().
 * Returns: the number of XML parts checked.
 */
guint fuzz_check_xlsx (const char *path);

/**
 * fuzz_check_dot:
 * @dot: DOT text as lp_diagram_dot() writes it
 *
 * Valid UTF-8, every quoted string closed on its line with only escaped
 * quotes inside, no control character, braces and brackets balanced.
 */
void fuzz_check_dot (const char *dot);

#include <json-glib/json-glib.h>

/**
 * fuzz_check_schema:
 * @schema: a JSON Schema (draft 2020-12) as the files in schema/ use it
 * @doc: a document
 * @what: for the message
 *
 * Validates @doc against @schema in process: type, properties, required,
 * additionalProperties (beside its own properties, as 2020-12 says), items,
 * enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
 * minItems, maxItems, minLength, maxLength, minProperties, maxProperties, pattern, $ref (to
 * #/$defs/NAME), anyOf, oneOf, allOf, not, if/then/else, dependentRequired and
 * uniqueItems. A keyword it does not know aborts rather than passes, so a
 * schema it cannot check is never reported as checked.
 */
void fuzz_check_schema (JsonNode *schema, JsonNode *doc, const char *what);
