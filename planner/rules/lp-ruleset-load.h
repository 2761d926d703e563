/* lp-ruleset-load.h: what the files that load a rule set share (private to rules/).
 *
 * lp-ruleset.c reads a rule file in passes (the table of group kinds);
 * lp-ruleset-extends.c makes one file of a rule set and those it extends;
 * lp-ruleset-groups.c, -names.c and -templates.c load the groups;
 * lp-ruleset-inputs.c holds the input vocabulary, lp-ruleset-free.c the memory. */
#pragma once

#include "lp-keyfile.h"
#include "lp-ruleset.h"

G_BEGIN_DECLS

/* A template and the number of roles its per-role arrays hold. */
typedef struct {
  LpTemplate t;
  guint n_roles;
} LpTemplateAlloc;

/* The group a loader reads, in the file it came from. */
typedef struct {
  LpRuleset *rs;
  const LpKeyfile *kf;
  const LpKfGroup *group;
  const char *name; /* the part of the group name after its kind */
} LpLoad;

/* The files of a rule set and the rule sets it extends, and the one rule
 * file they make together. */
typedef struct {
  GPtrArray *files;    /* of LpKeyfile, owned: the rule set's own first, then each parent */
  GHashTable *origin;  /* LpKfGroup -> the LpKeyfile it was read from */
  LpKeyfile *view;     /* its groups borrowed, in the order one file would hold them */
  GHashTable *removed; /* the group names a rule set of the chain removed */
} LpRuleFiles;

/* ---- lp-ruleset-free.c ---- */

/* A rule set read from @path with every table empty; lp_ruleset_free() frees it. */
LpRuleset *lp_ruleset_new (const char *path);
/* GDestroyNotify of a template's [let] formulas, notes and [availability] rules. */
void lp_formula_free (gpointer p);
void lp_note_free (gpointer p);
void lp_avail_rule_free (gpointer p);

/* ---- lp-ruleset-inputs.c ---- */

/* The type of a value written as @text: a duration, a percent or a number. */
LpValueType lp_value_type_of (const char *text);
/* The placeholder of an input's option: "DUR", "PCT", "NUM", the key in capitals
 * for a choice, NULL for a switch. Newly allocated. */
char *lp_input_new_placeholder (const LpInput *in);

/* ---- lp-ruleset-load.c: helpers of every loader; errors name file, line, group and key ---- */

/* "rules/lync2013.rules" for a path ".../rules/lync2013.rules": the name a
 * trace shows on every machine. Newly allocated. */
char *lp_load_display_name (const char *path);
/* The non-empty value of @key, or NULL with @error set. Borrowed. */
const char *lp_load_required (const LpLoad *ld, const char *key, GError **error);
/* The value of @key, or NULL when absent. Borrowed. */
const char *lp_load_optional (const LpLoad *ld, const char *key);
/* "rules/x.rules:12" of an entry or a line. Newly allocated. */
char *lp_load_where (const LpLoad *ld, const LpKfEntry *e);
char *lp_load_where_line (const LpLoad *ld, guint line);
/* Fails on a key not in @allowed or a missing one of @req (both NULL-ended). */
gboolean lp_load_check_keys (const LpLoad *ld, const char *const *allowed, const char *const *req,
                             GError **error);
/* Fails unless @text names [sources] keys or is "assumption: why". */
gboolean lp_load_check_source (const LpLoad *ld, const char *text, GError **error);
/* Compiles @key into *@out (owned by the caller); an absent optional key leaves it NULL. */
gboolean lp_load_compile (const LpLoad *ld, const char *key, gboolean is_required, LpExpr **out,
                          GError **error);
/* The index of [role @id] in *@index; FALSE when there is none. */
gboolean lp_load_find_role (const LpRuleset *rs, const char *id, guint *index);
/* Appends a [let] group's formulas to @into; names below @first_free_slot are taken. */
gboolean lp_load_lets (const LpLoad *ld, GPtrArray *into, guint first_free_slot, GError **error);
/* The index in @names (NULL-ended) of @key's value in *@out; absent leaves it. */
gboolean lp_load_enum (const LpLoad *ld, const char *key, const char *const *names, guint *out,
                       GError **error);

/* ---- the group loaders, one per kind of group (lp-ruleset-groups.c, -names.c) ---- */

gboolean lp_load_rule_set (const LpLoad *ld, GError **error);
gboolean lp_load_sources (const LpLoad *ld, GError **error);
gboolean lp_load_input (const LpLoad *ld, GError **error);
gboolean lp_load_constant (const LpLoad *ld, GError **error);
gboolean lp_load_role (const LpLoad *ld, GError **error);
/* [role ID] capacity and capacity-unit, in pass 2 (the formula may read [let]s). */
gboolean lp_load_role_capacity (const LpLoad *ld, GError **error);
/* [input KEY] ignored-unless and ignored-because, in pass 2. */
gboolean lp_load_input_ignored (const LpLoad *ld, GError **error);
gboolean lp_load_edition (const LpLoad *ld, GError **error);
gboolean lp_load_licence (const LpLoad *ld, GError **error);
gboolean lp_load_rule_lets (const LpLoad *ld, GError **error);
gboolean lp_load_check (const LpLoad *ld, GError **error);
gboolean lp_load_failure (const LpLoad *ld, GError **error);
gboolean lp_load_data_class (const LpLoad *ld, GError **error);
gboolean lp_load_service (const LpLoad *ld, GError **error);
/* "a, b" as a NULL-terminated list of stripped words; NULL or "" gives an
 * empty list. (transfer full) */
GStrv lp_load_split_list (const char *text);
gboolean lp_load_storage (const LpLoad *ld, GError **error);
gboolean lp_load_quorum (const LpLoad *ld, GError **error);
gboolean lp_load_availability (const LpLoad *ld, GError **error);
gboolean lp_load_dns (const LpLoad *ld, GError **error);
gboolean lp_load_endpoint (const LpLoad *ld, GError **error);
gboolean lp_load_certificate (const LpLoad *ld, GError **error);
gboolean lp_load_flow (const LpLoad *ld, GError **error);

/* KEY = role, role (lp-ruleset-names.c): each a [role], appended to @roles;
 * a role the rule set removed is left out; an absent key adds none. */
gboolean lp_load_roles_of (const LpLoad *ld, const char *key, GArray *roles, GError **error);

/* ---- lp-ruleset-tbxml.c: the Topology Builder document's groups ---- */

gboolean lp_load_topology_builder (const LpLoad *ld, GError **error);
gboolean lp_load_tb_cluster (const LpLoad *ld, GError **error);
gboolean lp_load_tb_service (const LpLoad *ld, GError **error);
/* Resolves each [tb-service]'s depends once all are loaded; fails on an
 * unknown id, or [tb-cluster]/[tb-service] without [topology-builder]. */
gboolean lp_tb_rules_resolve (LpRuleset *rs, const LpKeyfile *kf, GError **error);
/* Every [tb-service] own-instance-notes id is a [note] of a template
 * (after lp_load_templates()); LP_ERROR_RULES naming the key's line. */
gboolean lp_tb_rules_check_notes (const LpRuleset *rs, GError **error);
void lp_tb_rules_free (LpTbRules *tb);

/* ---- lp-ruleset-templates.c ---- */

/* Loads the templates the nearest rule file of @files (LpKeyfile) names. */
gboolean lp_load_templates (LpRuleset *rs, const GPtrArray *files, GError **error);
/* Which templates each [failure] row belongs to, once the templates are known. */
gboolean lp_ruleset_bind_failures (LpRuleset *rs, GError **error);
/* What each group of formulas reads, for the engine's memo. */
void lp_ruleset_collect_inputs (LpRuleset *rs);

/* ---- lp-ruleset-extends.c ---- */

/* Reads @path and the rule sets it extends into @rf (cleared by lp_rule_files_clear()). */
gboolean lp_rule_files_load (LpRuleFiles *rf, const char *path, GError **error);
void lp_rule_files_clear (LpRuleFiles *rf);
/* The file group @g of the view was read from. Borrowed. */
const LpKeyfile *lp_rule_files_origin (const LpRuleFiles *rf, const LpKfGroup *g);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpRuleFiles, lp_rule_files_clear)

/* ---- lp-ruleset-words.c ---- */

/* Reads the view's [word ID] groups (from, to: both required, from not
 * empty) into rs->words and rewrites every value of the view's other groups
 * but [sources] with them. Fails with LP_ERROR_RULES "FILE:LINE: [word ID]
 * KEY: ..." for a missing or unknown key or an empty from. */
gboolean lp_load_words (LpRuleset *rs, const LpRuleFiles *rf, GError **error);
/* Rewrites every value of @g (of @kf) with the rule set's words, in place. */
void lp_words_apply_group (const LpRuleset *rs, const LpKfGroup *g);
/* lp_words_apply_group() on every group of @kf (a template or an included file). */
void lp_words_apply (const LpRuleset *rs, const LpKeyfile *kf);
void lp_word_free (gpointer p);

G_END_DECLS
