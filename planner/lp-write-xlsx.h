/* lp-write-xlsx.h: the plan as a workbook for the customer. */
#pragma once

#include <glib.h>

#include "lp-inventory.h"
#include "lp-plan.h"

/**
 * lp_write_xlsx:
 * @plan: a plan made with a trace (for the Rule trace sheet)
 * @inv: its inventory (lp_inventory_new())
 * @path: the file to create; callers write to a temporary file and rename
 * @target: the name to use in messages (the file the user asked for)
 * @error: LP_ERROR_IO naming @target and libxlsxwriter's message, or
 *   LP_ERROR_INPUT for a bad SOURCE_DATE_EPOCH or a plan with more rows
 *   for a sheet than a worksheet holds (checked before @path is written)
 *
 * Sheets: Summary, Bill of Materials, Servers, Pools and Pairing,
 * Alternatives, Assumptions, Rule trace, Resilience, SLA budget, DNS plan. The same plan always gives the same
 * bytes: the creation time is the scenario's date, else SOURCE_DATE_EPOCH,
 * else 1980-01-01, never the clock.
 */
gboolean lp_write_xlsx (const LpPlan *plan, const LpInventory *inv, const char *path,
                        const char *target, GError **error);
