/* lp-write-tbxml.c: --format tbxml, the Topology Builder document
 * (lp_tbxml_new() computes it; this formats it with libxml2's writer). */
#include "lp-write.h"

#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <string.h>

#include "lp-error.h"
#include "lp-tbxml.h"

/* Any failed libxml2 call turns the whole document into an error. */
typedef struct {
  xmlTextWriterPtr w;
  gboolean failed;
} Xw;

static void
check (Xw *x, int rc)
{
  if (rc < 0)
    x->failed = TRUE;
}

static void
start (Xw *x, const char *name, const char *ns)
{
  check (x, ns != NULL ? xmlTextWriterStartElementNS (x->w, NULL, BAD_CAST name, BAD_CAST ns)
                       : xmlTextWriterStartElement (x->w, BAD_CAST name));
}

static void
end (Xw *x)
{
  check (x, xmlTextWriterEndElement (x->w));
}

static void
attr (Xw *x, const char *name, const char *value)
{
  check (x, xmlTextWriterWriteAttribute (x->w, BAD_CAST name, BAD_CAST value));
}

static void
attr_bool (Xw *x, const char *name, gboolean value)
{
  attr (x, name, value ? "true" : "false");
}

static void
attr_uint (Xw *x, const char *name, guint value)
{
  char buf[16];
  g_snprintf (buf, sizeof buf, "%u", value);
  attr (x, name, buf);
}

/* NAME=VALUE as an attribute. */
static void
attr_pair (Xw *x, const char *pair)
{
  const char *eq = strchr (pair, '=');
  g_autofree char *name = g_strndup (pair, eq - pair);

  attr (x, name, eq + 1);
}

/* An element without children: its attributes as NAME, VALUE, ..., NULL;
 * a NULL VALUE leaves its attribute out. Every leaf element of the
 * document is written by it (or by leaf_words()), none by hand. */
static void
leaf (Xw *x, const char *name, const char *ns, ...)
{
  va_list ap;
  const char *n;

  start (x, name, ns);
  va_start (ap, ns);
  while ((n = va_arg (ap, const char *)) != NULL) {
    const char *v = va_arg (ap, const char *);
    if (v != NULL)
      attr (x, n, v);
  }
  va_end (ap);
  end (x);
}

/* A list item given by the rule set's words: how each list of a service
 * (its Ports, WebComponents and MCUs) writes one item. */
typedef struct {
  const char *item;  /* its element */
  const char *first; /* nullable: the attribute its first word is the value of; else
                      * every word is NAME=VALUE */
} LpTbList;

static const LpTbList PORT = { "Port", NULL };
static const LpTbList COMPONENT = { "Component", "ComponentName" };
static const LpTbList MCU = { "MCU", "ComponentName" };

/* One item of list @l: @words (the first the value of l->first, the others
 * NAME=VALUE; a word without '=' is left out), with @after_first (NAME,
 * VALUE; nullable VALUE) after the first and @last (likewise) at the end. */
static void
leaf_words (Xw *x, const LpTbList *l, const char *const *words, const char *const after_first[2],
            const char *const last[2])
{
  guint a = 0;

  start (x, l->item, NULL);
  if (l->first != NULL && words[0] != NULL)
    attr (x, l->first, words[a++]);
  if (after_first[1] != NULL)
    attr (x, after_first[0], after_first[1]);
  for (; words[a] != NULL; a++)
    if (strchr (words[a], '=') != NULL)
      attr_pair (x, words[a]);
  if (last[1] != NULL)
    attr (x, last[0], last[1]);
  end (x);
}

/* A comment: "--" may not appear in one, nor a final "-". */
static void
comment (Xw *x, const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, "--", -1);
  g_autofree char *joined = g_strjoinv ("- -", parts);
  g_autofree char *padded = g_strconcat (" ", joined, " ", NULL);
  check (x, xmlTextWriterWriteComment (x->w, BAD_CAST padded));
}

static void
write_domains (Xw *x, const LpTbDoc *d)
{
  start (x, "InternalDomains", d->urn_topology);
  attr_bool (x, "AllowAllDomains", FALSE);
  attr (x, "DefaultDomain", d->domains[0]);
  for (guint i = 0; d->domains[i] != NULL; i++)
    leaf (x, "InternalDomain", NULL, "Name", d->domains[i], "Authoritative", "false",
          "AllowSubDomains", "false", NULL);
  end (x);
  start (x, "SimpleUrlConfiguration", d->urn_simple_url);
  attr_bool (x, "UseBackendDatabase", FALSE);
  for (guint i = 0; i < d->simple_urls->len; i++) {
    const LpTbSimpleUrl *u = g_ptr_array_index (d->simple_urls, i);
    start (x, "SimpleUrl", NULL);
    attr (x, "Component", u->component);
    attr (x, "Domain", u->domain);
    attr (x, "ActiveUrl", u->url);
    leaf (x, "SimpleUrlEntry", NULL, "Url", u->url, NULL);
    end (x);
  }
  end (x);
}

static void
write_cluster (Xw *x, const LpTbDoc *d, const LpTbCluster *c)
{
  if (c->comment != NULL)
    comment (x, c->comment);
  start (x, "Cluster", NULL);
  attr_bool (x, "IsSingleMachineOnly", c->single);
  attr (x, "UniqueId", c->id);
  attr_bool (x, "RequiresReplication", c->replication);
  attr_bool (x, "RequiresSetup", c->setup);
  attr (x, "Fqdn", c->fqdn);
  start (x, "Machines", NULL);
  for (guint i = 0; i < c->machines->len; i++) {
    const LpTbMachine *m = g_ptr_array_index (c->machines, i);
    start (x, "Machine", NULL);
    if (m->fqdn != NULL)
      attr (x, "Fqdn", m->fqdn);
    if (m->fault != NULL) {
      attr (x, "FaultDomain", m->fault);
      attr (x, "UpgradeDomain", m->upgrade);
    }
    /* a single-machine cluster of a server (SQL, file store, farm) lists none */
    for (guint k = 0; c->interfaces[k] != NULL; k++) {
      gboolean nat = c->nat_side != NULL && strcmp (c->nat_side, c->interfaces[k]) == 0;
      leaf (x, "NetInterface", d->urn_topology, "InterfaceSide", c->interfaces[k],
            "InterfaceNumber", "1", "IPAddress", "0.0.0.0", "ConfiguredIPAddress",
            nat ? "0.0.0.0" : NULL, NULL);
    }
    end (x);
  }
  end (x);
  start (x, "SqlInstances", NULL);
  if (c->sql_id != NULL)
    leaf (x, "SqlInstance", NULL, "UniqueId", c->sql_id, "Name", c->sql_name, NULL);
  for (guint k = 0; k < c->instances->len; k++) {
    const LpTbSqlInstance *i = g_ptr_array_index (c->instances, k);
    leaf (x, "SqlInstance", NULL, "UniqueId", i->id, "Name", i->name, NULL);
  }
  end (x);
  end (x);
}

static void
write_sites (Xw *x, const LpTbDoc *d)
{
  start (x, "CentralSites", NULL);
  for (guint i = 0; i < d->sites->len; i++) {
    const LpTbSite *s = g_ptr_array_index (d->sites, i);
    start (x, "CentralSite", NULL);
    attr_uint (x, "SiteId", s->id);
    start (x, "Name", d->urn_topology);
    check (x, xmlTextWriterWriteString (x->w, BAD_CAST s->name));
    end (x);
    start (x, "Location", d->urn_topology);
    end (x);
    start (x, "Clusters", NULL);
    for (guint k = 0; k < s->clusters->len; k++)
      write_cluster (x, d, g_ptr_array_index (s->clusters, k));
    end (x);
    start (x, "RemoteSites", NULL);
    for (guint k = 0; k < s->remote->len; k++)
      comment (x, g_ptr_array_index (s->remote, k));
    end (x);
    end (x);
  }
  end (x);
}

/* A web service's ExternalSettings, WebComponents and UpaSeparator; a
 * conferencing service's MCUs: as the public documents have them. */
static void
write_element_children (Xw *x, const LpTbDoc *d, const LpTbService *s)
{
  static const char *const none[2] = { NULL, NULL };
  const char *const vendor[2] = { "Vendor", d->mcu_vendor };

  if (s->external_host != NULL) {
    start (x, "ExternalSettings", NULL);
    attr (x, "Host", s->external_host);
    leaf (x, "OverrideUrls", NULL, NULL);
    end (x);
  }
  if (s->web_components[0] != NULL) {
    start (x, "WebComponents", d->urn_web_services);
    for (guint k = 0; s->web_components[k] != NULL; k++) {
      const char *const words[] = { s->web_components[k], NULL };
      leaf_words (x, &COMPONENT, words, none, none);
    }
    end (x);
    start (x, "UpaSeparator", d->urn_base_types);
    check (x, xmlTextWriterWriteString (x->w, BAD_CAST ""));
    end (x);
  }
  if (s->mcus[0] != NULL) {
    start (x, "MCUs", NULL);
    for (guint k = 0; s->mcus[k] != NULL; k++) {
      g_auto (GStrv) words = g_strsplit (s->mcus[k], " ", -1);
      leaf_words (x, &MCU, (const char *const *) words, vendor, none);
    }
    end (x);
  }
}

static void
write_services (Xw *x, const LpTbDoc *d)
{
  static const char *const none[2] = { NULL, NULL };

  start (x, "Services", NULL);
  for (guint i = 0; i < d->services->len; i++) {
    const LpTbService *s = g_ptr_array_index (d->services, i);
    if (s->unverified != NULL) {
      g_autofree char *text = g_strconcat ("Unverified: ", s->unverified, NULL);
      comment (x, text);
    }
    start (x, "Service", NULL);
    attr (x, "UniqueId", s->id);
    attr (x, "RoleName", s->role_name);
    attr_uint (x, "RoleVersion", s->role_version);
    attr (x, "InstalledOn", s->installed_on);
    attr_uint (x, "ServiceVersion", d->service_version);
    if (s->type != NULL)
      attr (x, "Type", s->type);
    start (x, "DependsOn", NULL);
    for (guint k = 0; k < s->depends->len; k++) {
      const LpTbDependency *dep = &g_array_index (s->depends, LpTbDependency, k);
      if (dep->comment != NULL) {
        g_autofree char *text = g_strconcat ("Unverified: ", dep->comment, NULL);
        comment (x, text);
      }
      leaf (x, "Dependency", NULL, "ServiceUniqueId", dep->service_id, "Usage", dep->usage, NULL);
    }
    end (x);
    start (x, "Ports", d->urn_service_roles);
    for (guint k = 0; k < s->ports->len; k++) {
      const char *const *p = g_ptr_array_index (s->ports, k);
      const char *const fqdn[2] = { "ConfiguredFqdn", g_ptr_array_index (s->port_fqdn, k) };
      leaf_words (x, &PORT, p, none, fqdn);
    }
    end (x);
    if (s->element != NULL) {
      start (x, s->element, d->urn_service_roles);
      for (guint k = 0; k < s->attr_names->len; k++)
        attr (x, g_ptr_array_index (s->attr_names, k), g_ptr_array_index (s->attr_values, k));
      write_element_children (x, d, s);
      end (x);
    }
    end (x);
  }
  end (x);
}

gboolean
lp_write_tbxml_precheck (const LpReport *r, GError **error)
{
  g_autoptr (LpTbDoc) d = lp_tbxml_new (r, error);
  return d != NULL;
}

gboolean
lp_write_tbxml (const LpReport *r, const LpWriteOptions *o, LpOutput *out, GError **error)
{
  g_autoptr (LpTbDoc) d = lp_tbxml_new (r, error);
  xmlBufferPtr buf;
  Xw x = { NULL, FALSE };
  gboolean ok;

  (void) o;
  if (d == NULL)
    return FALSE;
  buf = xmlBufferCreate ();
  x.w = xmlNewTextWriterMemory (buf, 0);
  if (x.w == NULL) {
    xmlBufferFree (buf);
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "%s: cannot start the XML document",
                 lp_output_target (out));
    return FALSE;
  }
  check (&x, xmlTextWriterSetIndent (x.w, 1));
  check (&x, xmlTextWriterSetIndentString (x.w, BAD_CAST "  "));
  check (&x, xmlTextWriterStartDocument (x.w, NULL, "utf-8", NULL));
  {
    g_autofree char *head = g_strdup_printf (
      "A Topology Builder document of this plan (%s), written by lyncplan. It has not been "
      "imported into Topology Builder: check it there before publishing. The closing "
      "comments say what the public documents it follows did not show.",
      r->product);
    comment (&x, head);
  }
  start (&x, "TopologyBuilder", d->urn_builder);
  attr_bool (&x, "IsFreeFromChanges", TRUE);
  start (&x, "NewTopology", NULL);
  start (&x, "PartialTopology", d->urn_writable);
  attr_bool (&x, "IsPublished", FALSE);
  attr (&x, "Signature", "00000000-0000-0000-0000-000000000000");
  write_domains (&x, d);
  write_sites (&x, d);
  write_services (&x, d);
  end (&x); /* PartialTopology */
  end (&x); /* NewTopology */
  for (guint i = 0; i < d->notes->len; i++)
    comment (&x, g_ptr_array_index (d->notes, i));
  end (&x); /* TopologyBuilder */
  check (&x, xmlTextWriterEndDocument (x.w));
  xmlFreeTextWriter (x.w);
  if (x.failed) {
    xmlBufferFree (buf);
    g_set_error (error, LP_ERROR, LP_ERROR_IO, "%s: the XML writer failed", lp_output_target (out));
    return FALSE;
  }
  ok = lp_output_put (out, (const char *) xmlBufferContent (buf), (gsize) xmlBufferLength (buf),
                      error);
  xmlBufferFree (buf);
  return ok;
}
