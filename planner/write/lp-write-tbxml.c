/* lp-write-tbxml.c: --format tbxml, the Topology Builder document
 * (lp_tbxml_new() computes it; this formats it with libxml2's writer). */
#include "lp-write.h"

#include <libxml/xmlwriter.h>
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
  for (guint i = 0; d->domains[i] != NULL; i++) {
    start (x, "InternalDomain", NULL);
    attr (x, "Name", d->domains[i]);
    attr_bool (x, "Authoritative", FALSE);
    attr_bool (x, "AllowSubDomains", FALSE);
    end (x);
  }
  end (x);
  start (x, "SimpleUrlConfiguration", d->urn_simple_url);
  attr_bool (x, "UseBackendDatabase", FALSE);
  for (guint i = 0; i < d->simple_urls->len; i++) {
    const LpTbSimpleUrl *u = g_ptr_array_index (d->simple_urls, i);
    start (x, "SimpleUrl", NULL);
    attr (x, "Component", u->component);
    attr (x, "Domain", u->domain);
    attr (x, "ActiveUrl", u->url);
    start (x, "SimpleUrlEntry", NULL);
    attr (x, "Url", u->url);
    end (x);
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
      start (x, "NetInterface", d->urn_topology);
      attr (x, "InterfaceSide", c->interfaces[k]);
      attr (x, "InterfaceNumber", "1");
      attr (x, "IPAddress", "0.0.0.0");
      if (c->nat_side != NULL && strcmp (c->nat_side, c->interfaces[k]) == 0)
        attr (x, "ConfiguredIPAddress", "0.0.0.0");
      end (x);
    }
    end (x);
  }
  end (x);
  start (x, "SqlInstances", NULL);
  if (c->sql_id != NULL) {
    start (x, "SqlInstance", NULL);
    attr (x, "UniqueId", c->sql_id);
    attr (x, "Name", c->sql_name);
    end (x);
  }
  for (guint k = 0; k < c->instances->len; k++) {
    const LpTbSqlInstance *i = g_ptr_array_index (c->instances, k);
    start (x, "SqlInstance", NULL);
    attr (x, "UniqueId", i->id);
    attr (x, "Name", i->name);
    end (x);
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

/* NAME=VALUE as an attribute. */
static void
attr_pair (Xw *x, const char *pair)
{
  const char *eq = strchr (pair, '=');
  g_autofree char *name = g_strndup (pair, eq - pair);

  attr (x, name, eq + 1);
}

/* A web service's ExternalSettings, WebComponents and UpaSeparator; a
 * conferencing service's MCUs: as the public documents have them. */
static void
write_element_children (Xw *x, const LpTbDoc *d, const LpTbService *s)
{
  if (s->external_host != NULL) {
    start (x, "ExternalSettings", NULL);
    attr (x, "Host", s->external_host);
    start (x, "OverrideUrls", NULL);
    end (x);
    end (x);
  }
  if (s->web_components[0] != NULL) {
    start (x, "WebComponents", d->urn_web_services);
    for (guint k = 0; s->web_components[k] != NULL; k++) {
      start (x, "Component", NULL);
      attr (x, "ComponentName", s->web_components[k]);
      end (x);
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
      start (x, "MCU", NULL);
      attr (x, "ComponentName", words[0]);
      if (d->mcu_vendor != NULL)
        attr (x, "Vendor", d->mcu_vendor);
      for (guint a = 1; words[a] != NULL; a++)
        if (strchr (words[a], '=') != NULL)
          attr_pair (x, words[a]);
      end (x);
    }
    end (x);
  }
}

static void
write_services (Xw *x, const LpTbDoc *d)
{
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
      start (x, "Dependency", NULL);
      attr (x, "ServiceUniqueId", dep->service_id);
      attr (x, "Usage", dep->usage);
      end (x);
    }
    end (x);
    start (x, "Ports", d->urn_service_roles);
    for (guint k = 0; k < s->ports->len; k++) {
      const char *const *p = g_ptr_array_index (s->ports, k);
      start (x, "Port", NULL);
      for (guint a = 0; p[a] != NULL; a++)
        attr_pair (x, p[a]);
      if (g_ptr_array_index (s->port_fqdn, k) != NULL)
        attr (x, "ConfiguredFqdn", g_ptr_array_index (s->port_fqdn, k));
      end (x);
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
