/* lp-ruleset.c: loads a rule file and its templates into compiled form, in passes. */
#include "lp-ruleset-load.h"

#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"

/* Names in the order the engine documents them in the rule file's header. */
static guint
engine_slot (LpRuleset *rs, const char *name)
{
  return lp_symtab_add (rs->symtab, name);
}

static void
register_engine_slots (LpRuleset *rs)
{
  LpEngineSlots *s = &rs->slots;

  s->users = engine_slot (rs, "users");
  s->partner_users = engine_slot (rs, "partner-users");
  s->partner_remote_percent = engine_slot (rs, "partner-remote-percent");
  s->paired = engine_slot (rs, "paired");
  s->dr = engine_slot (rs, "dr");
  s->first_site = engine_slot (rs, "first-site");
  s->edge_here = engine_slot (rs, "edge-here");
  s->owa_here = engine_slot (rs, "office-web-apps-here");
  s->edge_guest_users = engine_slot (rs, "edge-guest-users");
  s->edge_elsewhere = engine_slot (rs, "edge-at-other-site");
  s->owa_elsewhere = engine_slot (rs, "office-web-apps-at-other-site");
  s->branch = engine_slot (rs, "branch");
  s->server_failure_rto = engine_slot (rs, "server-failure-rto");
  s->server_failure_rpo = engine_slot (rs, "server-failure-rpo");
  s->site_loss_rto = engine_slot (rs, "site-loss-rto");
  s->site_loss_rpo = engine_slot (rs, "site-loss-rpo");
  s->downtime[0] = engine_slot (rs, "downtime-internal");
  s->downtime[1] = engine_slot (rs, "downtime-remote");
}

/* ---- the rule file ---- */

typedef gboolean (*LpGroupLoader) (const LpLoad *ld, GError **error);

/* Group kinds, by the word their name starts with. Pass 0 reads [sources], so
 * every later group's source can be checked; pass 1 loads the values and tables
 * every formula may refer to; pass 2 compiles the rule file's formulas; pass 3
 * reads the endpoints, which name roles and [dns] keys; pass 4 the certificates
 * and flows, which name endpoints. A kind's late loader runs in pass 2 (a
 * [role]'s capacity formula, which may read the [let]s). */
/* A group read before the passes ([word ID]: lp_load_words()). */
static gboolean
load_nothing (const LpLoad *ld, GError **error)
{
  (void) ld;
  (void) error;
  return TRUE;
}

static const struct {
  const char *kind;
  gboolean named; /* "[kind NAME]" rather than "[kind]" */
  guint pass;
  LpGroupLoader load;
  LpGroupLoader late; /* nullable */
} group_kinds[] = {
  { "rule-set", FALSE, 1, lp_load_rule_set },
  { "sources", FALSE, 0, lp_load_sources },
  { "input", TRUE, 1, lp_load_input, lp_load_input_ignored },
  { "constant", TRUE, 1, lp_load_constant },
  { "role", TRUE, 1, lp_load_role, lp_load_role_capacity },
  { "edition", TRUE, 1, lp_load_edition },
  { "let", FALSE, 2, lp_load_rule_lets },
  { "check", TRUE, 2, lp_load_check },
  { "failure", TRUE, 2, lp_load_failure },
  { "quorum", TRUE, 1, lp_load_quorum },
  { "dns", FALSE, 2, lp_load_dns },
  { "data", TRUE, 2, lp_load_data_class },
  { "service", TRUE, 2, lp_load_service },
  { "storage", TRUE, 2, lp_load_storage },
  { "endpoint", TRUE, 3, lp_load_endpoint },
  { "certificate", TRUE, 4, lp_load_certificate },
  { "flow", TRUE, 4, lp_load_flow },
  { "licence", TRUE, 2, lp_load_licence },
  { "availability", FALSE, 2, lp_load_availability },
  { "word", TRUE, 0, load_nothing },
  { "topology-builder", FALSE, 5, lp_load_topology_builder },
  { "tb-cluster", TRUE, 5, lp_load_tb_cluster },
  { "tb-service", TRUE, 6, lp_load_tb_service },
};

static gboolean
group_kind (const LpKeyfile *kf, const LpKfGroup *g, guint *kind, const char **name, GError **error)
{
  const char *space = strchr (g->name, ' ');
  gsize len = space != NULL ? (gsize) (space - g->name) : strlen (g->name);

  for (guint i = 0; i < G_N_ELEMENTS (group_kinds); i++) {
    if (strlen (group_kinds[i].kind) != len || strncmp (g->name, group_kinds[i].kind, len) != 0)
      continue;
    if (group_kinds[i].named != (space != NULL))
      return lp_kf_set_error (error, LP_ERROR_RULES, kf, g->line, g->name, NULL,
                              group_kinds[i].named ? "expected a name after '%s'"
                                                   : "'%s' takes no name",
                              group_kinds[i].kind);
    *kind = i;
    *name = space != NULL ? space + 1 : g->name;
    return TRUE;
  }
  return lp_kf_set_error (error, LP_ERROR_RULES, kf, g->line, g->name, NULL,
                          "unknown group: expected rule-set, sources, input, constant, role, "
                          "edition, let, check, failure, data, storage, quorum, dns, "
                          "endpoint, certificate, flow, availability, word, "
                          "topology-builder, tb-cluster or tb-service");
}

static gboolean
load_pass (LpRuleset *rs, const LpRuleFiles *rf, guint pass, GError **error)
{
  for (guint i = 0; i < rf->view->groups->len; i++) {
    LpLoad ld = { .rs = rs, .group = g_ptr_array_index (rf->view->groups, i) };
    guint kind = 0;

    ld.kf = lp_rule_files_origin (rf, ld.group);
    if (!group_kind (ld.kf, ld.group, &kind, &ld.name, error))
      return FALSE;
    if (group_kinds[kind].pass == pass && !group_kinds[kind].load (&ld, error))
      return FALSE;
    if (pass == 2 && group_kinds[kind].late != NULL && !group_kinds[kind].late (&ld, error))
      return FALSE;
  }
  return TRUE;
}

/* "choices = auto, editions": the word editions stands for the ids of the
 * rule set's [edition] groups, in file order. */
static void
expand_choices (LpRuleset *rs, LpInput *in)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; in->choices[i] != NULL; i++) {
    if (in->choices[i][0] == '\0')
      continue;
    if (strcmp (in->choices[i], "editions") != 0) {
      g_strv_builder_add (b, in->choices[i]);
      continue;
    }
    for (guint e = 0; e < rs->editions->len; e++)
      g_strv_builder_add (b, ((LpEdition *) g_ptr_array_index (rs->editions, e))->id);
  }
  g_strfreev (in->choices);
  in->choices = g_strv_builder_end (b);
}

/* Parses each input's default the way a scenario's value is parsed. */
static gboolean
resolve_inputs (LpRuleset *rs, const LpKeyfile *kf, GError **error)
{
  for (guint i = 0; i < rs->inputs->len; i++) {
    LpInput *in = g_ptr_array_index (rs->inputs, i);
    GError *local = NULL;

    if (in->choices != NULL)
      expand_choices (rs, in);
    in->var->type = in->type;
    if (!lp_input_parse (in, in->var->text, &in->var->value, &local)) {
      g_autofree char *group = g_strconcat ("input ", in->key, NULL);
      const LpKfGroup *g = lp_kf_find_group (kf, group);
      lp_kf_set_error (error, LP_ERROR_RULES, kf,
                       g != NULL ? lp_kf_group_lookup (g, "value")->line : 0, group, "value", "%s",
                       local->message);
      g_error_free (local);
      return FALSE;
    }
  }
  return TRUE;
}

/* An input the engine itself reads: it must be there, of this type and scope. */
static gboolean
engine_input (LpRuleset *rs, const LpKeyfile *kf, const char *key, LpValueType type, guint scope,
              guint *slot, const LpInput **input, GError **error)
{
  const LpInput *in = lp_ruleset_find_input (rs, key);
  g_autofree char *group = g_strconcat ("input ", key, NULL);

  if (in == NULL)
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, 0, group, NULL,
                            "missing group: the engine reads the scenario's %s", key);
  if (in->type != type || (in->scope & scope) == 0) {
    const LpKfGroup *g = lp_kf_find_group (kf, group);
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, g != NULL ? g->line : 0, group, NULL,
                            "the engine reads %s as a %s input of %s scope", key,
                            type == LP_VALUE_CHOICE    ? "choice"
                            : type == LP_VALUE_PERCENT ? "percent"
                                                       : "duration",
                            scope == LP_SCOPE_SITE ? "site" : "scenario");
  }
  *slot = in->var->slot;
  if (input != NULL)
    *input = in;
  return TRUE;
}

/* Which edition each word of the edition input asks for ("auto": none). */
static gboolean
map_edition_choices (LpRuleset *rs)
{
  const LpInput *in = lp_ruleset_find_input (rs, "edition");
  guint n = g_strv_length (in->choices);

  rs->edition_by_choice = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++) {
    const LpEdition *e = lp_ruleset_find_edition (rs, in->choices[i]);
    rs->edition_by_choice[i] = e != NULL ? e->id : NULL;
  }
  return TRUE;
}

static gboolean
check_rule_file (LpRuleset *rs, const LpKeyfile *kf, GError **error)
{
  const LpKfGroup *first = g_ptr_array_index (kf->groups, 0);

  if (strcmp (first->name, "rule-set") != 0)
    return lp_kf_set_error (error, LP_ERROR_RULES, kf, first->line, first->name, NULL,
                            "a rule file starts with a [rule-set] group");
  return resolve_inputs (rs, kf, error) &&
         engine_input (rs, kf, "remote-percent", LP_VALUE_PERCENT, LP_SCOPE_SITE,
                       &rs->slots.remote_percent, &rs->slots.remote_input, error) &&
         engine_input (rs, kf, "dr-rto", LP_VALUE_DURATION, LP_SCOPE_SCENARIO, &rs->slots.dr_rto,
                       &rs->slots.dr_rto_input, error) &&
         engine_input (rs, kf, "dr-rpo", LP_VALUE_DURATION, LP_SCOPE_SCENARIO, &rs->slots.dr_rpo,
                       &rs->slots.dr_rpo_input, error) &&
         engine_input (rs, kf, "edition", LP_VALUE_CHOICE, LP_SCOPE_SCENARIO, &rs->slots.edition,
                       NULL, error) &&
         map_edition_choices (rs);
}

static void
fill_defaults (LpRuleset *rs)
{
  rs->defaults = g_new0 (double, lp_symtab_size (rs->symtab));
  for (guint i = 0; i < rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (rs->vars, i);
    rs->defaults[v->slot] = v->value;
  }
}

static void
visit (LpExpr *e, LpExprFunc fn, gpointer data)
{
  if (e != NULL)
    fn (e, data);
}

static void
visit_formulas (GPtrArray *formulas, LpExprFunc fn, gpointer data)
{
  for (guint i = 0; i < formulas->len; i++)
    visit (((LpFormula *) g_ptr_array_index (formulas, i))->expr, fn, data);
}

void
lp_ruleset_foreach_expr (LpRuleset *rs, LpExprFunc fn, gpointer data)
{
  visit_formulas (rs->lets, fn, data);
  for (guint i = 0; i < rs->roles->len; i++) {
    const LpRole *r = g_ptr_array_index (rs->roles, i);
    visit (r->capacity, fn, data);
    visit (r->capacity_servers, fn, data);
    visit (r->capacity_failover, fn, data);
  }
  for (guint i = 0; i < rs->inputs->len; i++)
    visit (((LpInput *) g_ptr_array_index (rs->inputs, i))->ignored_unless, fn, data);
  for (guint i = 0; i < rs->checks->len; i++) {
    LpCheck *c = g_ptr_array_index (rs->checks, i);
    visit (c->applies, fn, data);
    visit (c->target, fn, data);
    visit (c->achieved, fn, data);
    visit (c->shortfall, fn, data);
  }
  for (guint i = 0; i < rs->failures->len; i++) {
    LpFailure *f = g_ptr_array_index (rs->failures, i);
    visit (f->applies, fn, data);
    visit (f->automatic, fn, data);
    visit (f->response, fn, data);
    visit (f->rpo, fn, data);
    for (guint k = 0; k < f->n_steps; k++) {
      visit (f->steps[k].minutes, fn, data);
      visit (f->steps[k].when, fn, data);
    }
  }
  for (guint i = 0; i < rs->services->len; i++)
    visit (((LpService *) g_ptr_array_index (rs->services, i))->in_scope, fn, data);
  for (guint i = 0; rs->tb != NULL && i < rs->tb->services->len; i++)
    visit (((LpTbServiceRule *) g_ptr_array_index (rs->tb->services, i))->applies, fn, data);
  for (guint i = 0; i < rs->data_classes->len; i++) {
    LpDataClass *d = g_ptr_array_index (rs->data_classes, i);
    visit (d->applies, fn, data);
    visit (d->loss, fn, data);
  }
  for (guint i = 0; i < rs->storage->len; i++) {
    LpStorage *st = g_ptr_array_index (rs->storage, i);
    visit (st->applies, fn, data);
    visit (st->gb_per_year, fn, data);
  }
  for (guint i = 0; i < rs->templates->len; i++) {
    LpTemplate *t = g_ptr_array_index (rs->templates, i);
    visit (t->applies, fn, data);
    visit (t->paired, fn, data);
    visit (t->without_dr, fn, data);
    visit_formulas (t->lets, fn, data);
    for (guint r = 0; r < rs->roles->len; r++)
      visit (t->roles[r] ? t->roles[r]->expr : NULL, fn, data);
    visit (t->pools.count, fn, data);
    visit (t->pools.capacity, fn, data);
    visit (t->pools.same_site_pairs, fn, data);
    visit (t->exclude, fn, data);
    for (guint k = 0; k < t->notes->len + t->figures->len; k++) {
      LpNote *n = k < t->notes->len ? g_ptr_array_index (t->notes, k)
                                    : g_ptr_array_index (t->figures, k - t->notes->len);
      visit (n->applies, fn, data);
      for (guint x = 0; x < n->exprs->len; x++)
        visit (g_ptr_array_index (n->exprs, x), fn, data);
    }
    for (guint k = 0; k < t->availability->len; k++) {
      LpAvailRule *r = g_ptr_array_index (t->availability, k);
      LpExpr *exprs[] = { r->applies,      r->servers,      r->needed,
                          r->failure_rate, r->repair_time,  r->failover,
                          r->automatic,    r->patch_cycles, r->patch_minutes };
      for (guint x = 0; x < G_N_ELEMENTS (exprs); x++)
        visit (exprs[x], fn, data);
    }
  }
  visit (rs->avail_year, fn, data);
  visit (rs->avail_planned_counted, fn, data);
}

static void
number_expr (LpExpr *e, gpointer data)
{
  guint *n = data;
  lp_expr_set_id (e, (*n)++);
}

LpRuleset *
lp_ruleset_load (const char *path, GError **error)
{
  g_auto (LpRuleFiles) rf = { NULL };
  g_autoptr (LpRuleset) rs = NULL;
  const LpKeyfile *kf;

  if (!lp_rule_files_load (&rf, path, error))
    return NULL;
  kf = rf.view;
  rs = lp_ruleset_new (path);
  register_engine_slots (rs);
  rs->removed = g_hash_table_ref (rf.removed);
  if (!lp_load_words (rs, &rf, error) || !load_pass (rs, &rf, 0, error) ||
      !load_pass (rs, &rf, 1, error) || !check_rule_file (rs, kf, error) ||
      !load_pass (rs, &rf, 2, error) || !load_pass (rs, &rf, 3, error) ||
      !load_pass (rs, &rf, 4, error) || !load_pass (rs, &rf, 5, error) ||
      !load_pass (rs, &rf, 6, error) || !lp_tb_rules_resolve (rs, kf, error) ||
      !lp_load_templates (rs, rf.files, error) || !lp_tb_rules_check_notes (rs, error) ||
      !lp_ruleset_bind_failures (rs, error))
    return NULL;
  fill_defaults (rs);
  lp_ruleset_collect_inputs (rs);
  lp_ruleset_foreach_expr (rs, number_expr, &rs->n_exprs);
  return g_steal_pointer (&rs);
}
