/* lp-ruleset-free.c: the memory of a rule set: what frees each of its tables. */
#include "lp-ruleset-load.h"

#include <string.h>

#include "lp-keyfile.h"

/* ---- freeing ---- */

static void
var_free (gpointer p)
{
  LpRuleVar *v = p;
  g_free (v->name);
  g_free (v->text);
  g_free (v->unit);
  g_free (v->source);
  g_free (v->note);
  g_free (v->min_text);
  g_free (v->max_text);
  g_free (v->where);
  g_free (v);
}

void
lp_formula_free (gpointer p)
{
  LpFormula *f = p;
  if (f == NULL)
    return;
  g_free (f->name);
  g_free (f->where);
  lp_expr_free (f->expr);
  g_free (f);
}

static void
role_free (gpointer p)
{
  LpRole *r = p;
  g_free (r->id);
  g_free (r->short_name);
  g_free (r->name);
  g_free (r->hardware);
  g_free (r->source);
  g_free (r->where);
  g_free (r->pool);
  lp_expr_free (r->capacity);
  g_free (r->capacity_unit);
  lp_expr_free (r->capacity_servers);
  lp_expr_free (r->capacity_failover);
  g_free (r);
}

static void
check_free (gpointer p)
{
  LpCheck *c = p;
  g_free (c->id);
  g_free (c->label);
  g_free (c->title);
  lp_expr_free (c->applies);
  lp_expr_free (c->target);
  lp_expr_free (c->achieved);
  lp_expr_free (c->shortfall);
  g_free (c);
}

static void
template_free (gpointer p)
{
  LpTemplateAlloc *a = p;
  LpTemplate *t = &a->t;
  g_free (t->id);
  g_free (t->name);
  g_free (t->edition);
  g_free (t->description);
  g_free (t->back_end_ha);
  g_free (t->file);
  g_free (t->display);
  lp_expr_free (t->applies);
  lp_expr_free (t->paired);
  lp_expr_free (t->without_dr);
  if (t->lets != NULL)
    g_ptr_array_unref (t->lets);
  for (guint i = 0; t->roles != NULL && i < a->n_roles; i++)
    lp_formula_free (t->roles[i]);
  g_free (t->roles);
  g_free (t->licences);
  lp_expr_free (t->pools.count);
  lp_expr_free (t->pools.capacity);
  lp_expr_free (t->pools.same_site_pairs);
  lp_expr_free (t->exclude);
  g_free (t->exclude_reason);
  if (t->notes != NULL)
    g_ptr_array_unref (t->notes);
  if (t->figures != NULL)
    g_ptr_array_unref (t->figures);
  if (t->recovery_inputs != NULL)
    g_array_unref (t->recovery_inputs);
  if (t->planned_rows != NULL)
    g_array_unref (t->planned_rows);
  if (t->availability != NULL)
    g_ptr_array_unref (t->availability);
  if (t->availability_inputs != NULL)
    g_array_unref (t->availability_inputs);
  g_free (a);
}

void
lp_avail_rule_free (gpointer p)
{
  LpAvailRule *r = p;

  g_free (r->id);
  g_free (r->label);
  lp_expr_free (r->applies);
  lp_expr_free (r->servers);
  lp_expr_free (r->needed);
  lp_expr_free (r->failure_rate);
  lp_expr_free (r->repair_time);
  lp_expr_free (r->failover);
  lp_expr_free (r->automatic);
  lp_expr_free (r->patch_cycles);
  lp_expr_free (r->patch_minutes);
  for (guint i = 0; i < G_N_ELEMENTS (r->cut); i++)
    g_free (r->cut[i]);
  g_free (r->cut_manual);
  g_free (r->where);
  g_free (r);
}

void
lp_note_free (gpointer p)
{
  LpNote *n = p;
  g_free (n->id);
  lp_expr_free (n->applies);
  g_free (n->text);
  g_strfreev (n->members);
  if (n->exprs != NULL)
    g_ptr_array_unref (n->exprs);
  g_free (n);
}

static void
licence_free (gpointer p)
{
  LpLicence *l = p;
  g_free (l->id);
  g_free (l->name);
  g_free (l->source);
  g_free (l->where);
  g_free (l);
}

static void
edition_free (gpointer p)
{
  LpEdition *e = p;
  g_free (e->id);
  g_free (e->name);
  g_strfreev (e->caveats);
  g_free (e->source);
  g_free (e->where);
  g_free (e);
}

static void
input_free (gpointer p)
{
  LpInput *in = p;
  g_free (in->key);
  g_strfreev (in->choices);
  g_free (in->min_text);
  g_free (in->max_text);
  g_free (in->help);
  g_free (in->title);
  g_free (in->placeholder);
  g_free (in->alias);
  lp_expr_free (in->ignored_unless);
  g_free (in->ignored_because);
  g_free (in);
}

static void
failure_free (gpointer p)
{
  LpFailure *f = p;
  g_free (f->id);
  g_free (f->label);
  g_free (f->templates);
  g_free (f->templates_file);
  g_free (f->edition);
  g_free (f->for_template);
  lp_expr_free (f->applies);
  lp_expr_free (f->automatic);
  lp_expr_free (f->response);
  lp_expr_free (f->rpo);
  g_free (f->effect);
  g_strfreev (f->roles);
  for (guint i = 0; i < f->n_steps; i++) {
    g_free (f->steps[i].needs_text);
    g_free (f->steps[i].restores_text);
    g_free (f->steps[i].text);
    lp_expr_free (f->steps[i].minutes);
    lp_expr_free (f->steps[i].when);
  }
  g_free (f->steps);
  g_free (f->source);
  g_free (f->where);
  g_free (f);
}

static void
service_free (gpointer p)
{
  LpService *sv = p;
  g_free (sv->id);
  g_free (sv->label);
  lp_expr_free (sv->in_scope);
  g_free (sv->source);
  g_free (sv);
}

static void
data_class_free (gpointer p)
{
  LpDataClass *d = p;
  g_free (d->id);
  g_free (d->label);
  lp_expr_free (d->applies);
  lp_expr_free (d->loss);
  g_free (d->note);
  g_free (d->source);
  g_free (d);
}

static void
storage_free (gpointer p)
{
  LpStorage *st = p;
  g_free (st->id);
  g_free (st->label);
  lp_expr_free (st->applies);
  lp_expr_free (st->gb_per_year);
  g_free (st->note);
  g_free (st->source);
  g_free (st->where);
  g_free (st);
}

void
lp_ruleset_free (LpRuleset *rs)
{
  if (rs == NULL)
    return;
  g_free (rs->id);
  g_free (rs->product);
  g_free (rs->version);
  g_free (rs->path);
  g_free (rs->templates_where);
  lp_tb_rules_free (rs->tb);
  g_free (rs->extends);
  g_free (rs->support);
  g_free (rs->migration);
  g_free (rs->caveat);
  if (rs->removed != NULL)
    g_hash_table_unref (rs->removed);
  lp_symtab_free (rs->symtab);
  g_free (rs->defaults);
  g_ptr_array_unref (rs->vars);
  g_ptr_array_unref (rs->site_inputs);
  g_ptr_array_unref (rs->inputs);
  g_free (rs->edition_by_choice);
  g_ptr_array_unref (rs->lets);
  if (rs->let_inputs != NULL)
    g_array_unref (rs->let_inputs);
  g_ptr_array_unref (rs->checks);
  g_ptr_array_unref (rs->roles);
  g_ptr_array_unref (rs->words);
  g_ptr_array_unref (rs->templates);
  g_ptr_array_unref (rs->editions);
  g_ptr_array_unref (rs->licences);
  g_ptr_array_unref (rs->failures);
  if (rs->data_classes != NULL)
    g_ptr_array_unref (rs->data_classes);
  if (rs->services != NULL)
    g_ptr_array_unref (rs->services);
  if (rs->certificates != NULL)
    g_ptr_array_unref (rs->certificates);
  if (rs->ports != NULL)
    g_ptr_array_unref (rs->ports);
  if (rs->endpoints != NULL)
    g_ptr_array_unref (rs->endpoints);
  if (rs->storage != NULL)
    g_ptr_array_unref (rs->storage);
  g_hash_table_unref (rs->dns);
  g_free (rs->quorum.source);
  g_free (rs->slots.role_counts);
  lp_expr_free (rs->avail_year);
  lp_expr_free (rs->avail_planned_counted);
  g_hash_table_unref (rs->sources);
  g_free (rs);
}

static void
cert_rule_free (gpointer p)
{
  LpCertRule *c = p;
  g_free (c->id);
  g_free (c->label);
  if (c->roles != NULL)
    g_array_unref (c->roles);
  g_free (c->subject);
  g_strfreev (c->san);
  g_free (c->note);
  g_free (c->source);
  g_free (c->where);
  g_free (c);
}

static void
port_rule_free (gpointer p)
{
  LpPortRule *r = p;
  g_free (r->id);
  g_free (r->from_name);
  g_free (r->to_name);
  g_free (r->from_label);
  g_free (r->to_label);
  if (r->absent != NULL)
    g_array_unref (r->absent);
  lp_expr_free (r->applies);
  g_free (r->port);
  g_free (r->protocol);
  g_free (r->purpose);
  g_free (r->source);
  g_free (r->where);
  g_free (r);
}

const char *
lp_zone_word (LpZone zone)
{
  static const char *const words[] = { "internal", "perimeter", "internet" };
  return words[zone];
}

static void
endpoint_rule_free (gpointer p)
{
  LpEndpointRule *e = p;
  g_free (e->id);
  g_free (e->label);
  g_array_unref (e->roles);
  g_free (e->fqdn);
  g_strfreev (e->names);
  g_strfreev (e->external_names);
  g_free (e->web_internal);
  g_free (e->web_external);
  lp_expr_free (e->applies);
  g_free (e->source);
  g_free (e->where);
  g_free (e);
}

LpRuleset *
lp_ruleset_new (const char *path)
{
  LpRuleset *rs = g_new0 (LpRuleset, 1);

  rs->path = g_strdup (path);
  rs->symtab = lp_symtab_new ();
  rs->vars = g_ptr_array_new_with_free_func (var_free);
  rs->inputs = g_ptr_array_new_with_free_func (input_free);
  rs->site_inputs = g_ptr_array_new ();
  rs->lets = g_ptr_array_new_with_free_func (lp_formula_free);
  rs->checks = g_ptr_array_new_with_free_func (check_free);
  rs->roles = g_ptr_array_new_with_free_func (role_free);
  rs->templates = g_ptr_array_new_with_free_func (template_free);
  rs->editions = g_ptr_array_new_with_free_func (edition_free);
  rs->licences = g_ptr_array_new_with_free_func (licence_free);
  rs->failures = g_ptr_array_new_with_free_func (failure_free);
  rs->data_classes = g_ptr_array_new_with_free_func (data_class_free);
  rs->services = g_ptr_array_new_with_free_func (service_free);
  rs->certificates = g_ptr_array_new_with_free_func (cert_rule_free);
  rs->ports = g_ptr_array_new_with_free_func (port_rule_free);
  rs->endpoints = g_ptr_array_new_with_free_func (endpoint_rule_free);
  rs->storage = g_ptr_array_new_with_free_func (storage_free);
  rs->dns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rs->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  rs->words = g_ptr_array_new_with_free_func (lp_word_free);
  return rs;
}
