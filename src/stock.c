/*-------------------------------------------------------------------------
 *
 * stock.c
 *	  The sale path: record a sales order and allocate it against the
 *	  stock of a distribution centre, all or nothing.
 *
 * A SKU's stock in a DC lives in one or more balance slots
 * (showroom.stock_balance).  A sale first tries to reserve a SKU's whole
 * demand in one slot, starting from the slot its backend took last time
 * and skipping slots other sales hold locked; so concurrent sales of a
 * hot SKU lock different rows, each backend soon keeps to a slot of its
 * own, and they commit in parallel.  Only if no free slot can serve the
 * demand does it lock every slot of the SKU, in slot order, and gather
 * the units from several; so a unit that exists anywhere is found, and a
 * sale is never refused while units remain.  A SKU kept in one slot (most
 * are) skips the search: one plain UPDATE of that slot reserves it.  Lines
 * are handled by SKU in ascending order, and every other stock path locks
 * balances in the same order, so concurrent multi-line sales cannot
 * deadlock.
 *
 * Where the tables and the caller's role allow it (see src/direct.c), a
 * sale does its reads, its reservations and, for a one-line order served
 * from one slot, its four rows without the executor, step by step as the
 * statements would; otherwise it runs the statements below.  Larger
 * orders write all of their lines' rows with one statement.
 *
 * The rest of the order's lifecycle (pick, ship, deliver, cancel, ...) is
 * plain SQL in src/sql/stock.sql; it is not on a hot path.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "mb/pg_wchar.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "direct.h"

/* The most lines one order may have: a generous key-account order. */
#define SELL_MAX_LINES 10000

/*
 * The largest amount of money a sale may carry, in fen: 999,999,999,999.99
 * yuan, the most a numeric(14,2) (the type of money in views and exports)
 * holds.  It bounds each unit price, each line total, the order total and
 * the cash to collect.
 */
#define SELL_MAX_FEN INT64CONST(99999999999999)

/* The longest external reference, in characters: an ERP order number. */
#define SELL_MAX_REF_CHARS 64

/*
 * How far from the business date a delivery date may lie: a year either
 * way.  A year back leaves room for orders keyed in late (after an
 * outage, or when a store's open orders move over from an older system);
 * what it refuses is a mistyped year.
 */
#define SELL_DATE_PAST_DAYS 365
#define SELL_DATE_FUTURE_DAYS 365

/* One line of the order being sold, as the caller passed it. */
typedef struct SellLine
{
	int32		line_no;		/* 1-based position in the caller's arrays */
	int64		sku_id;
	int32		qty;
	int64		price_fen;		/* -1 until known */
	int32		short_qty;		/* units no slot could give */
	int16		max_slot;		/* the SKU's highest slot in the DC, -1 if
								 * none (read without a lock) */
	bool		sku_found;		/* the SKU as read: exists, */
	bool		sku_active;		/* may be sold, */
	int64		list_price_fen; /* and costs this */
} SellLine;

/* What a sale reads of its store and DCs before it reserves stock. */
typedef struct SellPlace
{
	bool		store_found;
	bool		store_active;
	int64		home_dc;
	int64		cover_dc;		/* the active DC covering the point, or 0 */
	bool		home_active;	/* false also when the home DC is missing */
	Datum		point;			/* the delivery point, a geometry */
	Oid			point_type;		/* its type */
} SellPlace;

/* Units of one line reserved in one slot. */
typedef struct SellPiece
{
	int32		line_no;
	int16		slot;
	int32		qty;
} SellPiece;

/*
 * The writes of a sale: the order (plan_order), then its lines, their
 * allocations and one ledger row per allocation in one statement.
 * plan_write ends it there; plan_write_bo, used only when some line
 * waits, adds its backorders.
 * $20 (units short per line) is declared in both and read only by the
 * second.
 */
#define SELL_ORDER_SQL \
	"INSERT INTO showroom.sales_order (external_ref, store_id, dc_id," \
	" channel, customer_name, customer_phone, address, delivery_point," \
	" delivery_date, cod_fen, state)" \
	" VALUES ($1, $2, $3, $4, $5, $6, $7," \
	" ST_SetSRID(ST_MakePoint($8, $9), 4326), $10, $11, $12)" \
	" RETURNING id"

/*
 * The lines, allocations and ledger rows of the order whose id is $21.
 * They are a second statement, not part of the order's: row-level
 * security checks a line against its order, and a statement does not see
 * the rows its own earlier parts inserted.
 */
#define SELL_WRITE_SQL \
	"WITH o AS (SELECT $21::bigint AS id)," \
	" l AS (" \
	" INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty," \
	"  unit_price_fen)" \
	" SELECT o.id, u.line_no, u.sku_id, u.qty, u.price" \
	"   FROM o, unnest($13, $14, $15, $16) AS u (line_no, sku_id, qty," \
	"   price)" \
	" RETURNING id, order_id, line_no, sku_id)," \
	" a AS (" \
	" INSERT INTO showroom.allocation (sales_line_id, sales_order_id," \
	"  dc_id, sku_id, slot, qty, open_qty)" \
	" SELECT l.id, l.order_id, $3, l.sku_id, p.slot, p.qty, p.qty" \
	"   FROM unnest($17, $18, $19) AS p (line_no, slot, qty)" \
	"   JOIN l USING (line_no)" \
	" RETURNING id, sales_line_id, sales_order_id, sku_id, slot, qty)," \
	" m AS (" \
	" INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind," \
	"  qty, d_allocated, sales_order_id, sales_line_id, allocation_id)" \
	" SELECT $3, a.sku_id, a.slot, 'allocation', a.qty, a.qty," \
	"  a.sales_order_id, a.sales_line_id, a.id FROM a ORDER BY a.id)"

/*
 * The writes of the commonest sale, one line served from one slot: three
 * plain INSERT ... VALUES statements, which the executor starts far more
 * cheaply than the general statement's CTEs, unnests and join.  They
 * write exactly the rows SELL_WRITE_SQL would.
 */
#define SELL_LINE1_SQL \
	"INSERT INTO showroom.sales_line (order_id, line_no, sku_id, qty," \
	" unit_price_fen) VALUES ($1, 1, $2, $3, $4) RETURNING id"
#define SELL_ALLOC1_SQL \
	"INSERT INTO showroom.allocation (sales_line_id, sales_order_id, dc_id," \
	" sku_id, slot, qty, open_qty) VALUES ($1, $2, $3, $4, $5, $6, $6)" \
	" RETURNING id"
#define SELL_MOVE1_SQL \
	"INSERT INTO showroom.stock_movement (dc_id, sku_id, slot, kind, qty," \
	" d_allocated, sales_order_id, sales_line_id, allocation_id)" \
	" VALUES ($1, $2, $3, 'allocation', $4, $4, $5, $6, $7)"

/*
 * The tables of the commonest sale, with the columns it supplies, for
 * writing its rows without the executor where the tables and the role
 * allow it (src/direct.c); sell_write_direct writes exactly the rows
 * that plan_order and sell_write_one would.
 */
static DirectTable sell_order_table = {"sales_order", 11, {
		{"external_ref", TEXTOID}, {"store_id", INT8OID}, {"dc_id", INT8OID},
		{"channel", TEXTOID}, {"customer_name", TEXTOID},
		{"customer_phone", TEXTOID}, {"address", TEXTOID},
		{"delivery_point", InvalidOid /* set per sale */ },
		{"delivery_date", DATEOID},
		{"cod_fen", INT8OID}, {"state", TEXTOID}}, NULL};
static DirectTable sell_line_table = {"sales_line", 5, {
		{"order_id", INT8OID}, {"line_no", INT4OID}, {"sku_id", INT8OID},
		{"qty", INT4OID}, {"unit_price_fen", INT8OID}}, NULL};
static DirectTable sell_alloc_table = {"allocation", 7, {
		{"sales_line_id", INT8OID}, {"sales_order_id", INT8OID},
		{"dc_id", INT8OID}, {"sku_id", INT8OID}, {"slot", INT2OID},
		{"qty", INT4OID}, {"open_qty", INT4OID}}, NULL};
static DirectTable sell_move_table = {"stock_movement", 9, {
		{"dc_id", INT8OID}, {"sku_id", INT8OID}, {"slot", INT2OID},
		{"kind", TEXTOID}, {"qty", INT4OID}, {"d_allocated", INT4OID},
		{"sales_order_id", INT8OID}, {"sales_line_id", INT8OID},
		{"allocation_id", INT8OID}}, NULL};

/* The tables a sale reads, read without the executor where allowed. */
static DirectTable sell_store_table = {"store", 0, {{NULL, InvalidOid}}, NULL};
static DirectTable sell_dc_table = {"dc", 0, {{NULL, InvalidOid}}, NULL};
static DirectTable sell_sku_table = {"sku", 0, {{NULL, InvalidOid}}, NULL};
static DirectTable sell_balance_table = {"stock_balance", 0,
{{NULL, InvalidOid}}, NULL};

/* The one column a reservation changes. */
static const char *const sell_balance_cols[1] = {"allocated"};

/*
 * The PostGIS functions the direct read calls (see sell_gis_lookup), for
 * geometry type sell_gis_type, valid while sell_gis_valid.
 */
static MemoryContext sell_gis_cxt = NULL;
static MemoryContext sell_covers_cxt = NULL;
static FmgrInfo sell_makepoint;
static FmgrInfo sell_setsrid;
static FmgrInfo sell_covers;
static Oid	sell_gis_type = InvalidOid;
static bool sell_gis_valid = false;

/*
 * The balance slot this backend's last fast-path sale took: its next sale
 * looks there first (see sell_take_sku).
 */
static int16 last_slot = 0;

/* The plans of the sale path, prepared on first use and kept. */
static SPIPlanPtr plan_ref_lock = NULL;
static SPIPlanPtr plan_ref_find = NULL;
static SPIPlanPtr plan_ref_lines = NULL;
static SPIPlanPtr plan_today = NULL;
static SPIPlanPtr plan_store = NULL;
static SPIPlanPtr plan_take_one = NULL;
static SPIPlanPtr plan_take_zero = NULL;
static SPIPlanPtr plan_lock_slots = NULL;
static SPIPlanPtr plan_take_slot = NULL;
static SPIPlanPtr plan_new_slot = NULL;
static SPIPlanPtr plan_order = NULL;
static SPIPlanPtr plan_write = NULL;
static SPIPlanPtr plan_write_bo = NULL;
static SPIPlanPtr plan_line1 = NULL;
static SPIPlanPtr plan_alloc1 = NULL;
static SPIPlanPtr plan_move1 = NULL;

/*
 * stock_prepare
 *		Prepare one statement with a generic plan and keep it for the life
 *		of the backend.
 *
 * sql: the statement; nargs and argtypes: its parameters.  Returns the
 * kept plan.
 */
static SPIPlanPtr
stock_prepare(const char *sql, int nargs, Oid *argtypes)
{
	/*
	 * A generic plan is right for every statement here (each touches a few
	 * rows by key), and it spares the planner on every call.
	 */
	return showroom_prepare_kept(sql, nargs, argtypes,
								 CURSOR_OPT_GENERIC_PLAN);
}

/*
 * stock_prepare_all
 *		Prepare every plan of the sale path, once per backend.
 *
 * Called inside an SPI connection.  The statements name every object
 * with its schema; ST_Covers and ST_MakePoint resolve through the
 * search_path the SQL function pins, which points at PostGIS.
 */
static void
stock_prepare_all(void)
{
	Oid			t_text[1] = {TEXTOID};
	Oid			t_int8[1] = {INT8OID};
	Oid			t_store[4] = {INT8OID, FLOAT8OID, FLOAT8OID, INT8ARRAYOID};
	Oid			t_take[4] = {INT8OID, INT8OID, INT4OID, INT2OID};
	Oid			t_pair[2] = {INT8OID, INT8OID};
	Oid			t_slot[4] = {INT8OID, INT8OID, INT2OID, INT4OID};
	Oid			t_write[21] = {
		TEXTOID, INT8OID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
		FLOAT8OID, FLOAT8OID, DATEOID, INT8OID, TEXTOID,
		INT4ARRAYOID, INT8ARRAYOID, INT4ARRAYOID, INT8ARRAYOID,
		INT4ARRAYOID, INT2ARRAYOID, INT4ARRAYOID, INT4ARRAYOID, INT8OID
	};

	Oid			t_line1[4] = {INT8OID, INT8OID, INT4OID, INT8OID};
	Oid			t_alloc1[6] = {INT8OID, INT8OID, INT8OID, INT8OID, INT2OID,
	INT4OID};
	Oid			t_move1[7] = {INT8OID, INT8OID, INT2OID, INT4OID, INT8OID,
	INT8OID, INT8OID};

	if (plan_move1 != NULL)
		return;

	plan_ref_lock = stock_prepare(
		"SELECT pg_catalog.pg_advisory_xact_lock("
		"pg_catalog.hashtextextended($1, 7301))", 1, t_text);
	plan_ref_find = stock_prepare(
		"SELECT id, store_id FROM showroom.sales_order "
		"WHERE external_ref = $1", 1, t_text);
	plan_ref_lines = stock_prepare(
		"SELECT line_no, sku_id, qty, unit_price_fen "
		"FROM showroom.sales_line WHERE order_id = $1 ORDER BY line_no",
		1, t_int8);
	plan_today = stock_prepare(
		"SELECT showroom.business_date(pg_catalog.now())", 0, NULL);
	plan_store = stock_prepare(
		"SELECT s.home_dc_id, s.active, r.id, h.active, "
		" k.id, k.active, k.list_price_fen, "
		" (SELECT max(b.slot) FROM showroom.stock_balance b "
		"   WHERE b.dc_id = coalesce(r.id, s.home_dc_id) "
		"     AND b.sku_id = k.id), "
		" ST_SetSRID(ST_MakePoint($2, $3), 4326) "
		"FROM showroom.store s "
		"LEFT JOIN LATERAL (SELECT d.id FROM showroom.dc d "
		" WHERE d.active AND ST_Covers(d.region, "
		" ST_SetSRID(ST_MakePoint($2, $3), 4326)) "
		" ORDER BY d.id LIMIT 1) r ON true "
		"LEFT JOIN showroom.dc h ON h.id = s.home_dc_id "
		"LEFT JOIN showroom.sku k ON k.id = ANY ($4) "
		"WHERE s.id = $1", 4, t_store);
	plan_take_one = stock_prepare(
		"UPDATE showroom.stock_balance b SET allocated = b.allocated + $3 "
		"WHERE b.dc_id = $1 AND b.sku_id = $2 AND b.slot = "
		"(SELECT s.slot FROM showroom.stock_balance s "
		" WHERE s.dc_id = $1 AND s.sku_id = $2 AND s.slot >= $4 "
		"   AND s.on_hand - s.allocated >= $3 "
		" ORDER BY s.slot LIMIT 1 FOR UPDATE SKIP LOCKED) "
		"RETURNING b.slot", 4, t_take);
	plan_take_zero = stock_prepare(
		"UPDATE showroom.stock_balance SET allocated = allocated + $3 "
		"WHERE dc_id = $1 AND sku_id = $2 AND slot = 0 "
		"  AND on_hand - allocated >= $3", 3, t_take);
	plan_lock_slots = stock_prepare(
		"SELECT slot, on_hand - allocated FROM showroom.stock_balance "
		"WHERE dc_id = $1 AND sku_id = $2 ORDER BY slot FOR UPDATE",
		2, t_pair);
	plan_take_slot = stock_prepare(
		"UPDATE showroom.stock_balance SET allocated = allocated + $4 "
		"WHERE dc_id = $1 AND sku_id = $2 AND slot = $3", 4, t_slot);
	plan_new_slot = stock_prepare(
		"INSERT INTO showroom.stock_balance (dc_id, sku_id, slot) "
		"VALUES ($1, $2, 0) ON CONFLICT DO NOTHING", 2, t_pair);
	plan_order = stock_prepare(SELL_ORDER_SQL, 12, t_write);
	plan_write = stock_prepare(SELL_WRITE_SQL "SELECT id FROM o", 21, t_write);
	plan_write_bo = stock_prepare(SELL_WRITE_SQL
		" , w AS ("
		" INSERT INTO showroom.backorder (sales_line_id, sales_order_id,"
		"  dc_id, sku_id, qty, waiting_qty)"
		" SELECT l.id, l.order_id, $3, l.sku_id, s.qty, s.qty"
		"   FROM unnest($13, $20) AS s (line_no, qty)"
		"   JOIN l USING (line_no) WHERE s.qty > 0 ORDER BY l.line_no)"
		"SELECT id FROM o", 21, t_write);
	plan_line1 = stock_prepare(SELL_LINE1_SQL, 4, t_line1);
	plan_alloc1 = stock_prepare(SELL_ALLOC1_SQL, 6, t_alloc1);
	plan_move1 = stock_prepare(SELL_MOVE1_SQL, 7, t_move1);
}

/*
 * stock_first_int8
 *		Column col (1-based) of the first row of the last SPI result as an
 *		int8, or false when there is no row or the value is NULL.
 */
static bool
stock_first_int8(int col, int64 *result)
{
	bool		isnull;
	Datum		d;

	if (SPI_processed == 0)
		return false;
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col,
					  &isnull);
	if (isnull)
		return false;
	*result = DatumGetInt64(d);
	return true;
}

/*
 * stock_exec
 *		Run a kept plan and check that it succeeded.
 *
 * plan: the plan; values: its parameters (none NULL unless nulls says so
 * with 'n'); expect: the SPI result code it must return.
 */
static void
stock_exec(SPIPlanPtr plan, Datum *values, const char *nulls, int expect)
{
	int			rc = SPI_execute_plan(plan, values, nulls, false, 0);

	if (rc != expect)
		elog(ERROR, "showroom: unexpected SPI result %s",
			 SPI_result_code_string(rc));
}

/*
 * stock_insert_id
 *		Run a kept INSERT ... RETURNING id plan and return the new row's id;
 *		what names the row in the error raised if none came back.
 */
static int64
stock_insert_id(SPIPlanPtr plan, Datum *values, const char *nulls,
				const char *what)
{
	int64		id;

	stock_exec(plan, values, nulls, SPI_OK_INSERT_RETURNING);
	if (!stock_first_int8(1, &id))
		elog(ERROR, "showroom: %s insert returned no id", what);
	return id;
}

/*
 * sell_check_dims
 *		Raise SR119 unless the line array arr (called name in the message)
 *		is a plain list: one dimension, or none when it is empty.
 *
 * deconstruct_array reads every element of an array of any shape, so a
 * two-dimensional array would otherwise pass as its elements in a row.
 */
static void
sell_check_dims(ArrayType *arr, const char *name)
{
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_LINE_ARRAY),
				 errmsg("line arrays must have one dimension"),
				 errdetail("%s has %d dimensions.", name, ARR_NDIM(arr)),
				 errhint("Pass one element per line, as in '{1,2,3}'.")));
}

/*
 * sell_read_lines
 *		Check the caller's arrays and turn them into lines.
 *
 * sku_arr, qty_arr: the SKU ids and quantities (same length, no NULLs);
 * price_arr: unit prices in fen, or NULL for list prices.  Returns the
 * lines and sets *n to their number.
 */
static SellLine *
sell_read_lines(ArrayType *sku_arr, ArrayType *qty_arr, ArrayType *price_arr,
				int *n)
{
	Datum	   *skus,
			   *qtys,
			   *prices = NULL;
	bool	   *sku_nulls,
			   *qty_nulls,
			   *price_nulls = NULL;
	int			nsku,
				nqty,
				nprice = 0;
	SellLine   *lines;
	int			i;

	sell_check_dims(sku_arr, "sku_ids");
	sell_check_dims(qty_arr, "qtys");
	if (price_arr != NULL)
		sell_check_dims(price_arr, "unit_prices_fen");

	deconstruct_array(sku_arr, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &skus, &sku_nulls, &nsku);
	deconstruct_array(qty_arr, INT4OID, sizeof(int32), true, TYPALIGN_INT,
					  &qtys, &qty_nulls, &nqty);
	if (price_arr != NULL)
		deconstruct_array(price_arr, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
						  TYPALIGN_DOUBLE, &prices, &price_nulls, &nprice);

	if (nsku == 0 || nsku > SELL_MAX_LINES)
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_QUANTITY),
				 errmsg("an order needs between 1 and %d lines",
						SELL_MAX_LINES),
				 errdetail("sku_ids has %d elements.", nsku)));
	if (nqty != nsku || (price_arr != NULL && nprice != nsku))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the line arrays differ in length"),
				 errdetail("sku_ids has %d elements, qtys %d, unit_prices_fen %d.",
						   nsku, nqty, price_arr != NULL ? nprice : nsku),
				 errhint("Pass one element per line in each array.")));

	lines = palloc0(sizeof(SellLine) * nsku);
	for (i = 0; i < nsku; i++)
	{
		SellLine   *l = &lines[i];

		l->line_no = i + 1;
		if (sku_nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_SR_UNKNOWN_SKU),
					 errmsg("unknown SKU"),
					 errdetail("Line %d has a NULL SKU id.", i + 1)));
		l->sku_id = DatumGetInt64(skus[i]);
		if (qty_nulls[i] || DatumGetInt32(qtys[i]) <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_SR_INVALID_QUANTITY),
					 errmsg("quantity must be a positive whole number"),
					 qty_nulls[i] ?
					 errdetail("Line %d has a NULL quantity.", i + 1) :
					 errdetail("Line %d has quantity %d.", i + 1,
							   DatumGetInt32(qtys[i]))));
		l->qty = DatumGetInt32(qtys[i]);
		l->price_fen = -1;
		if (price_arr != NULL && !price_nulls[i])
		{
			l->price_fen = DatumGetInt64(prices[i]);
			if (l->price_fen < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unit price must not be negative"),
						 errdetail("Line %d has unit price %lld fen.", i + 1,
								   (long long) l->price_fen)));
			if (l->price_fen > SELL_MAX_FEN)
				ereport(ERROR,
						(errcode(ERRCODE_SR_AMOUNT_OUT_OF_RANGE),
						 errmsg("unit price out of range"),
						 errdetail("Line %d has unit price %lld fen; the most is %lld.",
								   i + 1, (long long) l->price_fen,
								   (long long) SELL_MAX_FEN)));
		}
	}
	*n = nsku;
	return lines;
}

/*
 * sell_check_point
 *		Raise SR108 unless (lon, lat) is a plausible WGS 84 position.
 */
static void
sell_check_point(bool lon_null, double lon, bool lat_null, double lat)
{
	if (lon_null || lat_null)
	{
		char		lon_s[32] = "NULL";
		char		lat_s[32] = "NULL";

		if (!lon_null)
			snprintf(lon_s, sizeof(lon_s), "%g", lon);
		if (!lat_null)
			snprintf(lat_s, sizeof(lat_s), "%g", lat);
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_LOCATION),
				 errmsg("location must not be null"),
				 errdetail("lon = %s, lat = %s.", lon_s, lat_s)));
	}
	if (isnan(lon) || isnan(lat) || lon < -180 || lon > 180 ||
		lat < -90 || lat > 90)
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_LOCATION),
				 errmsg("location out of range"),
				 errdetail("lon = %g, lat = %g; lon must lie in [-180, 180] and lat in [-90, 90].",
						   lon, lat),
				 errhint("Pass longitude first, then latitude.")));
}

/*
 * sell_replay_compare
 *		Raise SR112 unless the lines of the recorded order order_id are
 *		the lines lines[0..n-1] of this call.
 *
 * A line matches when its SKU and quantity are equal and, where this
 * call gives a unit price, the price too (a line sold at list price is
 * not compared on price: the list price may have changed since).
 */
static void
sell_replay_compare(text *ref, int64 order_id, SellLine *lines, int n)
{
	Datum		v[1];
	uint64		r;
	SPITupleTable *tt;

	v[0] = Int64GetDatum(order_id);
	stock_exec(plan_ref_lines, v, NULL, SPI_OK_SELECT);
	tt = SPI_tuptable;
	if (SPI_processed != (uint64) n)
		ereport(ERROR,
				(errcode(ERRCODE_SR_DUPLICATE_REFERENCE),
				 errmsg("external reference already used for a different order"),
				 errdetail("Reference \"%s\" is sales order %lld with %llu lines; this call has %d.",
						   text_to_cstring(ref), (long long) order_id,
						   (unsigned long long) SPI_processed, n),
				 errhint("Give a new order a new reference; a replay must repeat the order's lines.")));

	for (r = 0; r < SPI_processed; r++)
	{
		bool		isnull;
		int64		sku = DatumGetInt64(SPI_getbinval(tt->vals[r],
													  tt->tupdesc, 2,
													  &isnull));
		int32		qty = DatumGetInt32(SPI_getbinval(tt->vals[r],
													  tt->tupdesc, 3,
													  &isnull));
		int64		price = DatumGetInt64(SPI_getbinval(tt->vals[r],
														tt->tupdesc, 4,
														&isnull));
		SellLine   *l = &lines[r];

		if (sku == l->sku_id && qty == l->qty &&
			(l->price_fen < 0 || price == l->price_fen))
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_SR_DUPLICATE_REFERENCE),
				 errmsg("external reference already used for a different order"),
				 errdetail("Reference \"%s\" is sales order %lld, whose line %d is %d of SKU %lld at %lld fen; this call has %d of SKU %lld at %s.",
						   text_to_cstring(ref), (long long) order_id,
						   l->line_no, qty, (long long) sku,
						   (long long) price, l->qty,
						   (long long) l->sku_id,
						   l->price_fen < 0 ? "list price" :
						   psprintf("%lld fen", (long long) l->price_fen)),
				 errhint("Give a new order a new reference; a replay must repeat the order's lines.")));
	}
}

/*
 * sell_replay
 *		Look up an earlier order with the same external reference.
 *
 * Takes a transaction-level advisory lock on the reference first, so that
 * two concurrent calls with one reference run one after the other and the
 * second finds the first's order.  ref: the reference; store_id: the
 * caller's store; lines, n: this call's lines, in the caller's order.
 * Returns the earlier order's id, or 0 if there is none; raises SR112 if
 * the earlier order is another store's or has other lines.
 */
static int64
sell_replay(text *ref, int64 store_id, SellLine *lines, int n)
{
	Datum		v[1];
	int64		order_id;
	int64		prev_store = 0;

	v[0] = PointerGetDatum(ref);
	stock_exec(plan_ref_lock, v, NULL, SPI_OK_SELECT);
	stock_exec(plan_ref_find, v, NULL, SPI_OK_SELECT);
	if (!stock_first_int8(1, &order_id))
		return 0;

	stock_first_int8(2, &prev_store);
	if (prev_store != store_id)
		ereport(ERROR,
				(errcode(ERRCODE_SR_DUPLICATE_REFERENCE),
				 errmsg("external reference already used by another store"),
				 errdetail("Reference \"%s\" is sales order %lld of store %lld, not of store %lld.",
						   text_to_cstring(ref), (long long) order_id,
						   (long long) prev_store, (long long) store_id)));
	sell_replay_compare(ref, order_id, lines, n);
	return order_id;
}

/*
 * sell_gis_inval
 *		Syscache callback: a changed function may be one of PostGIS's that
 *		the direct read keeps, so look them up again.
 */
static void
sell_gis_inval(Datum arg, int cacheid, uint32 hashvalue)
{
	sell_gis_valid = false;
}

/*
 * sell_gis_lookup
 *		Make the PostGIS functions of the direct read callable, for the
 *		geometry type geometry_type, once per backend (again after any
 *		function changed).  ST_Covers keeps its cache of the last region in
 *		its own context.
 */
static void
sell_gis_lookup(Oid geometry_type)
{
	static bool registered = false;
	Oid			f8[2] = {FLOAT8OID, FLOAT8OID};
	Oid			srid[2] = {geometry_type, INT4OID};
	Oid			two[2] = {geometry_type, geometry_type};

	if (sell_gis_valid && sell_gis_type == geometry_type)
		return;
	if (!registered)
	{
		CacheRegisterSyscacheCallback(PROCOID, sell_gis_inval, (Datum) 0);
		registered = true;
	}
	if (sell_gis_cxt != NULL)
		MemoryContextDelete(sell_gis_cxt);
	sell_gis_cxt = AllocSetContextCreate(TopMemoryContext,
										 "showroom sale geometry",
										 ALLOCSET_SMALL_SIZES);
	sell_covers_cxt = AllocSetContextCreate(sell_gis_cxt,
											"showroom sale ST_Covers",
											ALLOCSET_SMALL_SIZES);
	showroom_gis_function(geometry_type, "st_makepoint", 2, f8,
						  &sell_makepoint, sell_gis_cxt);
	showroom_gis_function(geometry_type, "st_setsrid", 2, srid,
						  &sell_setsrid, sell_gis_cxt);
	showroom_gis_function(geometry_type, "st_covers", 2, two,
						  &sell_covers, sell_covers_cxt);
	sell_gis_type = geometry_type;
	sell_gis_valid = true;
}

/*
 * sell_is_geometry
 *		Whether type is PostGIS's geometry (in whatever schema).
 */
static bool
sell_is_geometry(Oid type)
{
	HeapTuple	tup;
	bool		is;

	if (!OidIsValid(type))
		return false;
	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(type));
	if (!HeapTupleIsValid(tup))
		return false;
	is = strcmp(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname),
				"geometry") == 0;
	ReleaseSysCache(tup);
	return is;
}

/*
 * sell_read_spi
 *		Read what the sale needs of its store, DCs and SKUs (see SellPlace
 *		and SellLine) with one statement, and make the delivery point.
 *
 * store_id: the selling store; lon, lat: the delivery point; lines, n:
 * the order's lines.  The statement returns one row per SKU found, at
 * least one if the store exists.
 */
static void
sell_read_spi(int64 store_id, double lon, double lat, SellLine *lines,
			  int n, SellPlace *place)
{
	Datum		v[4];
	int64	   *ids = palloc(sizeof(int64) * n);
	SPITupleTable *tt;
	TupleDesc	desc;
	bool		isnull;
	Datum		d;
	uint64		r;
	int			i;

	for (i = 0; i < n; i++)
		ids[i] = lines[i].sku_id;
	v[0] = Int64GetDatum(store_id);
	v[1] = Float8GetDatum(lon);
	v[2] = Float8GetDatum(lat);
	v[3] = showroom_int8_array(ids, n);
	stock_exec(plan_store, v, NULL, SPI_OK_SELECT);
	tt = SPI_tuptable;
	desc = tt->tupdesc;

	memset(place, 0, sizeof(SellPlace));
	place->store_found = stock_first_int8(1, &place->home_dc);
	if (!place->store_found)
		return;
	place->store_active = DatumGetBool(SPI_getbinval(tt->vals[0], desc, 2,
													 &isnull));
	stock_first_int8(3, &place->cover_dc);
	d = SPI_getbinval(tt->vals[0], desc, 4, &isnull);
	place->home_active = !isnull && DatumGetBool(d);
	place->point = datumCopy(SPI_getbinval(tt->vals[0], desc, 9, &isnull),
							 false, -1);
	place->point_type = SPI_gettypeid(desc, 9);

	for (i = 0; i < n; i++)
	{
		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = tt->vals[r];

			d = SPI_getbinval(tup, desc, 5, &isnull);
			if (isnull || DatumGetInt64(d) != lines[i].sku_id)
				continue;
			lines[i].sku_found = true;
			lines[i].sku_active = DatumGetBool(SPI_getbinval(tup, desc, 6,
															 &isnull));
			lines[i].list_price_fen =
				DatumGetInt64(SPI_getbinval(tup, desc, 7, &isnull));
			d = SPI_getbinval(tup, desc, 8, &isnull);
			lines[i].max_slot = isnull ? -1 : DatumGetInt16(d);
			break;
		}
	}
}

/*
 * sell_read_direct
 *		Read what sell_read_spi reads without the executor (src/direct.c),
 *		or return false, having decided nothing, when a table or the
 *		caller's role rules that out.
 *
 * The DC covering the point is found by testing ST_Covers on the region
 * of every active DC, where the statement uses its index: a chain has a
 * handful of DCs.  The reads are one statement's (see src/direct.c).
 * DEBUG1 says why a read took the statement.
 */
static bool
sell_read_direct(DirectWrite *dw, int64 store_id, double lon, double lat,
				 SellLine *lines, int n, SellPlace *place)
{
	DirectTable *tables[4] = {&sell_store_table, &sell_dc_table,
	&sell_sku_table, &sell_balance_table};
	const char *why = NULL;
	TupleTableSlot *row;
	DirectScan *scan;
	Datum		key[2];
	Oid			region_type;
	bool		isnull;
	int			i;

	for (i = 0; i < 4 && why == NULL; i++)
		why = direct_read_refusal(dw, tables[i]);
	if (why != NULL)
	{
		elog(DEBUG1, "showroom: sale read by statements: table %s: %s",
			 tables[i - 1]->relname, why);
		return false;
	}

	/* PostGIS's geometry, as the statement has it (not a DBA's change). */
	region_type = direct_column_type(dw, &sell_dc_table, "region");
	if (!sell_is_geometry(region_type))
	{
		elog(DEBUG1, "showroom: sale read by statements: table dc: its region is not a geometry");
		return false;
	}
	sell_gis_lookup(region_type);
	/* The statement would check the caller may run them; so do we. */
	if (pg_proc_aclcheck(sell_makepoint.fn_oid, GetUserId(), ACL_EXECUTE) !=
		ACLCHECK_OK ||
		pg_proc_aclcheck(sell_setsrid.fn_oid, GetUserId(), ACL_EXECUTE) !=
		ACLCHECK_OK ||
		pg_proc_aclcheck(sell_covers.fn_oid, GetUserId(), ACL_EXECUTE) !=
		ACLCHECK_OK)
	{
		elog(DEBUG1, "showroom: sale read by statements: the role may not run a PostGIS function it calls");
		return false;
	}
	memset(place, 0, sizeof(SellPlace));
	place->point = FunctionCall2(&sell_setsrid,
								 FunctionCall2(&sell_makepoint,
											   Float8GetDatum(lon),
											   Float8GetDatum(lat)),
								 Int32GetDatum(4326));
	place->point_type = get_func_rettype(sell_setsrid.fn_oid);

	direct_statement_begin(dw);
	key[0] = Int64GetDatum(store_id);
	row = direct_fetch(dw, &sell_store_table, 1, key, false);
	if (row == NULL)
	{
		direct_statement_end(dw);
		return true;
	}
	place->store_found = true;
	place->store_active = DatumGetBool(direct_column(row, "active"));
	place->home_dc = DatumGetInt64(direct_column(row, "home_dc_id"));

	/* The lowest-numbered active DC whose region covers the point. */
	scan = direct_scan_begin(dw, &sell_dc_table);
	while ((row = direct_scan_next(scan)) != NULL)
	{
		int64		id = DatumGetInt64(direct_column(row, "id"));
		Datum		region = direct_get(row, "region", &isnull);

		if (isnull || !DatumGetBool(direct_column(row, "active")) ||
			(place->cover_dc != 0 && id >= place->cover_dc))
			continue;
		if (DatumGetBool(FunctionCall2(&sell_covers, region, place->point)))
			place->cover_dc = id;
	}
	direct_scan_end(scan);

	key[0] = Int64GetDatum(place->home_dc);
	row = direct_fetch(dw, &sell_dc_table, 1, key, false);
	place->home_active = row != NULL &&
		DatumGetBool(direct_column(row, "active"));

	key[0] = Int64GetDatum(place->cover_dc != 0 ? place->cover_dc :
						   place->home_dc);
	for (i = 0; i < n; i++)
	{
		key[1] = Int64GetDatum(lines[i].sku_id);
		row = direct_fetch(dw, &sell_sku_table, 1, &key[1], false);
		if (row == NULL)
			continue;
		lines[i].sku_found = true;
		lines[i].sku_active = DatumGetBool(direct_column(row, "active"));
		lines[i].list_price_fen =
			DatumGetInt64(direct_column(row, "list_price_fen"));
		row = direct_fetch(dw, &sell_balance_table, 2, key, true);
		lines[i].max_slot = row == NULL ? -1 :
			DatumGetInt16(direct_column(row, "slot"));
	}
	direct_statement_end(dw);
	return true;
}

/*
 * sell_choose_dc
 *		The DC that serves a sale, from what place says: the active DC
 *		whose delivery region covers the customer's point (the lowest id if
 *		several), else the store's home DC, which must be active.
 *
 * store_id, lon, lat: the store and point, for the messages.
 */
static int64
sell_choose_dc(const SellPlace *place, int64 store_id, double lon,
			   double lat)
{
	if (!place->store_found)
		ereport(ERROR,
				(errcode(ERRCODE_SR_UNKNOWN_STORE),
				 errmsg("unknown store"),
				 errdetail("No store has id %lld.", (long long) store_id)));
	if (!place->store_active)
		ereport(ERROR,
				(errcode(ERRCODE_SR_INACTIVE_STORE),
				 errmsg("store is not active"),
				 errdetail("Store %lld is inactive and may not sell.",
						   (long long) store_id)));
	if (place->cover_dc != 0)
		return place->cover_dc;
	if (!place->home_active)
		ereport(ERROR,
				(errcode(ERRCODE_SR_INACTIVE_DC),
				 errmsg("distribution centre is not active"),
				 errdetail("No active DC covers (%g, %g) and store %lld's home DC %lld is inactive.",
						   lon, lat, (long long) store_id,
						   (long long) place->home_dc),
				 errhint("Reactivate the DC or move the store to another home DC.")));
	return place->home_dc;
}

/*
 * sell_check_skus
 *		Check that every line's SKU exists and is active, and fill in list
 *		prices where the caller gave none.
 */
static void
sell_check_skus(SellLine *lines, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		if (!lines[i].sku_found)
			ereport(ERROR,
					(errcode(ERRCODE_SR_UNKNOWN_SKU),
					 errmsg("unknown SKU"),
					 errdetail("Line %d: no SKU has id %lld.",
							   lines[i].line_no,
							   (long long) lines[i].sku_id)));
		if (!lines[i].sku_active)
			ereport(ERROR,
					(errcode(ERRCODE_SR_INACTIVE_SKU),
					 errmsg("SKU is not active"),
					 errdetail("Line %d: SKU %lld may no longer be sold.",
							   lines[i].line_no,
							   (long long) lines[i].sku_id)));
		if (lines[i].price_fen < 0)
			lines[i].price_fen = lines[i].list_price_fen;
	}
}

/*
 * sell_check_totals
 *		Raise SR118 if a line total (quantity times unit price) or the
 *		order total passes SELL_MAX_FEN.  Called once every line has its
 *		price.
 */
static void
sell_check_totals(SellLine *lines, int n)
{
	int64		total = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		int64		line_fen;

		if (pg_mul_s64_overflow(lines[i].price_fen, lines[i].qty, &line_fen) ||
			line_fen > SELL_MAX_FEN)
			ereport(ERROR,
					(errcode(ERRCODE_SR_AMOUNT_OUT_OF_RANGE),
					 errmsg("line total out of range"),
					 errdetail("Line %d: %d units at %lld fen come to more than %lld fen.",
							   lines[i].line_no, lines[i].qty,
							   (long long) lines[i].price_fen,
							   (long long) SELL_MAX_FEN)));
		total += line_fen;
		if (total > SELL_MAX_FEN)
			ereport(ERROR,
					(errcode(ERRCODE_SR_AMOUNT_OUT_OF_RANGE),
					 errmsg("order total out of range"),
					 errdetail("Lines 1 to %d come to more than %lld fen.",
							   lines[i].line_no, (long long) SELL_MAX_FEN),
					 errhint("Split the order.")));
	}
}

/*
 * sell_date_str
 *		A date as YYYY-MM-DD whatever the session's DateStyle (infinite
 *		dates as date_out writes them).
 */
static char *
sell_date_str(DateADT d)
{
	int			y,
				m,
				day;

	if (DATE_NOT_FINITE(d))
		return DatumGetCString(DirectFunctionCall1(date_out,
												   DateADTGetDatum(d)));
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

/*
 * sell_check_date
 *		Raise SR120 unless the delivery date d lies between
 *		SELL_DATE_PAST_DAYS before and SELL_DATE_FUTURE_DAYS after the
 *		business date.
 */
static void
sell_check_date(DateADT d)
{
	DateADT		today;
	bool		isnull;

	stock_exec(plan_today, NULL, NULL, SPI_OK_SELECT);
	today = DatumGetDateADT(SPI_getbinval(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1,
										  &isnull));
	if (isnull)
		elog(ERROR, "showroom: no business date");

	/* Infinite dates compare as the most extreme of all. */
	if (d < today - SELL_DATE_PAST_DAYS || d > today + SELL_DATE_FUTURE_DAYS)
		ereport(ERROR,
				(errcode(ERRCODE_SR_DATE_OUT_OF_RANGE),
				 errmsg("delivery date out of range"),
				 errdetail("delivery_date = %s; the business date is %s.",
						   sell_date_str(d), sell_date_str(today)),
				 errhint("A delivery date may lie from %d days before to %d days after the business date.",
						 SELL_DATE_PAST_DAYS, SELL_DATE_FUTURE_DAYS)));
}

/*
 * sell_check_ref
 *		Raise SR121 unless the external reference ref is between 1 and
 *		SELL_MAX_REF_CHARS characters long and not all blanks.
 */
static void
sell_check_ref(text *ref)
{
	char	   *s = text_to_cstring(ref);
	int			chars = pg_mbstrlen(s);

	if (chars > SELL_MAX_REF_CHARS)
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_REFERENCE),
				 errmsg("external reference too long"),
				 errdetail("The reference has %d characters, starting \"%.*s...\"; the most is %d.",
						   chars, pg_mbcliplen(s, strlen(s), 20), s,
						   SELL_MAX_REF_CHARS)));
	if (strspn(s, " \t\r\n") == strlen(s))
		ereport(ERROR,
				(errcode(ERRCODE_SR_INVALID_REFERENCE),
				 errmsg("external reference must not be blank"),
				 errdetail("external_ref = \"%s\".", s),
				 errhint("Pass NULL for a sale without a reference.")));
}

/*
 * sell_line_cmp
 *		qsort order of lines: by SKU, then by line number.
 */
static int
sell_line_cmp(const void *a, const void *b)
{
	const SellLine *x = (const SellLine *) a;
	const SellLine *y = (const SellLine *) b;

	if (x->sku_id != y->sku_id)
		return x->sku_id < y->sku_id ? -1 : 1;
	return x->line_no - y->line_no;
}

/*
 * sell_line_no_cmp
 *		qsort order of lines: by line number, as the caller gave them.
 */
static int
sell_line_no_cmp(const void *a, const void *b)
{
	return ((const SellLine *) a)->line_no - ((const SellLine *) b)->line_no;
}

/*
 * sell_take_direct
 *		What plan_take_zero (when one_slot) or plan_take_one does, without
 *		the executor: reserve demand units of SKU sku_id in one slot of DC
 *		dc_id that has them all.  Returns the slot, or -1 if none can serve.
 *
 * With one_slot only slot 0 is tried, waiting for a sale that holds it;
 * else the slots from "from" upwards, skipping those other sales hold
 * (SKIP LOCKED).  A slot that looked free but whose newest version is
 * short stays locked, as with the statements (see sell_take_one).  The
 * caller has checked direct_update_refusal.  The work is one statement's
 * (see src/direct.c), whole within a subtransaction around the call.
 */
static int
sell_take_direct(DirectWrite *dw, int64 dc_id, int64 sku_id, int32 demand,
				 int16 from, bool one_slot)
{
	Datum		key[3];
	DirectScan *scan = NULL;
	TupleTableSlot *row;
	int			slot = -1;

	key[0] = Int64GetDatum(dc_id);
	key[1] = Int64GetDatum(sku_id);
	key[2] = Int16GetDatum(one_slot ? 0 : from);
	direct_statement_begin(dw);
	if (one_slot)
		row = direct_fetch(dw, &sell_balance_table, 3, key, false);
	else
	{
		scan = direct_key_scan(dw, &sell_balance_table, 2, key, &key[2],
							   false);
		row = direct_scan_next(scan);
	}
	for (; row != NULL && slot < 0;
		 row = scan != NULL ? direct_scan_next(scan) : NULL)
	{
		TupleTableSlot *locked;
		int32		on_hand = DatumGetInt32(direct_column(row, "on_hand"));
		int32		allocated = DatumGetInt32(direct_column(row, "allocated"));
		Datum		now_allocated;

		/* The statement's WHERE, on the row as the snapshot has it ... */
		if (on_hand - allocated < demand)
			continue;
		locked = direct_lock(dw, &sell_balance_table, row, !one_slot);
		if (locked == NULL)
			continue;
		/* ... and again on its newest version, now locked. */
		on_hand = DatumGetInt32(direct_column(locked, "on_hand"));
		allocated = DatumGetInt32(direct_column(locked, "allocated"));
		if (on_hand - allocated < demand)
			continue;
		slot = DatumGetInt16(direct_column(locked, "slot"));
		now_allocated = Int32GetDatum(allocated + demand);
		direct_update(dw, &sell_balance_table, locked, 1, sell_balance_cols,
					  &now_allocated);
	}
	if (scan != NULL)
		direct_scan_end(scan);
	direct_statement_end(dw);
	return slot;
}

/* The arguments and result of sell_take_one's attempt. */
typedef struct TakeArgs
{
	DirectWrite *dw;
	Datum	   *v;
	bool		direct;
	int16		slot;			/* out: the slot taken, or -1 */
} TakeArgs;

/* The search of sell_take_one, as a step of showroom_attempt. */
static bool
sell_take_attempt(void *arg)
{
	TakeArgs   *a = (TakeArgs *) arg;
	Datum	   *v = a->v;
	bool		isnull;

	a->slot = -1;
	if (a->direct)
	{
		int64		dc_id = DatumGetInt64(v[0]);
		int64		sku_id = DatumGetInt64(v[1]);
		int32		demand = DatumGetInt32(v[2]);

		a->slot = sell_take_direct(a->dw, dc_id, sku_id, demand, last_slot,
								   false);
		if (a->slot < 0 && last_slot > 0)
			a->slot = sell_take_direct(a->dw, dc_id, sku_id, demand, 0,
									   false);
		return a->slot >= 0;
	}
	v[3] = Int16GetDatum(last_slot);
	stock_exec(plan_take_one, v, NULL, SPI_OK_UPDATE_RETURNING);
	if (SPI_processed == 0 && last_slot > 0)
	{
		v[3] = Int16GetDatum(0);
		stock_exec(plan_take_one, v, NULL, SPI_OK_UPDATE_RETURNING);
	}
	if (SPI_processed == 1)
		a->slot = DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[0],
											  SPI_tuptable->tupdesc, 1,
											  &isnull));
	return a->slot >= 0;
}

/*
 * sell_take_one
 *		The fast way to reserve a SKU's demand: one statement that finds a
 *		free slot holding all of it and adds the demand to its allocated.
 *
 * v: dc id, SKU id and demand (v[3] is set here); direct: whether to do
 * it without the executor (sell_take_direct).  The search starts at the
 * slot this backend took last time, then at slot 0.  Returns the slot, or
 * -1 if no free slot can serve the demand.
 *
 * It runs as an attempt (showroom_attempt), rolled back when it finds no
 * slot or raises an error.  FOR UPDATE SKIP LOCKED locks a row before
 * rechecking it: when a sale that committed after the search began has
 * left a slot short, the slot is skipped but stays locked.  Such a stray
 * lock would break the slot order in which the thorough way then locks
 * the slots, and two sales draining the last units could deadlock;
 * rolling the attempt back releases it.
 */
static int16
sell_take_one(DirectWrite *dw, Datum *v, bool direct)
{
	TakeArgs	a = {dw, v, direct, -1};

	if (!showroom_attempt(sell_take_attempt, &a))
		return -1;
	last_slot = a.slot;
	return a.slot;
}

/*
 * sell_take_sku
 *		Reserve the demand of one SKU (the lines lines[0..n-1], all of that
 *		SKU) in the DC, and record which slot gave how many units to which
 *		line in pieces[*npieces...].  Lines that could not be served in
 *		full get their short_qty set.
 *
 * First one statement tries a single unlocked slot that holds the whole
 * demand; failing that, every slot of the SKU is locked in slot order and
 * the units are gathered from all of them.  A SKU with one slot (slot 0,
 * as most are) is tried with a plain UPDATE of that slot instead, which
 * needs neither a row lock of its own nor a subtransaction: if it finds
 * too few units it may keep a lock on slot 0 (as any UPDATE that rechecks
 * a row updated under it does), and slot 0 comes first in the order the
 * thorough way locks slots in, so that lock cannot reverse the order.
 */
static void
sell_take_sku(DirectWrite *dw, int64 dc_id, SellLine *lines, int n,
			  SellPiece *pieces, int *npieces)
{
	const char *why;
	Datum		v[4];
	int32		demand = 0;
	int16		slot;
	int			i;
	uint64		r;
	uint64		nslots;
	SPITupleTable *tt;
	int			li = 0;
	int32		line_left;

	for (i = 0; i < n; i++)
	{
		if (demand > PG_INT32_MAX - lines[i].qty)
			ereport(ERROR,
					(errcode(ERRCODE_SR_INVALID_QUANTITY),
					 errmsg("quantity too large"),
					 errdetail("The lines of SKU %lld add up to more than %d units.",
							   (long long) lines[0].sku_id, PG_INT32_MAX)));
		demand += lines[i].qty;
	}

	/*
	 * The fast way: one free slot with enough units, searched upwards from
	 * the slot this backend took last time (then from slot 0), so that
	 * concurrent sales of a hot SKU each settle on a slot of their own and
	 * the search stops at the first row instead of reading every slot.
	 */
	v[0] = Int64GetDatum(dc_id);
	v[1] = Int64GetDatum(lines[0].sku_id);
	v[2] = Int32GetDatum(demand);
	why = direct_update_refusal(dw, &sell_balance_table, 1,
								sell_balance_cols);
	if (why != NULL)
		elog(DEBUG1, "showroom: stock reserved by statements: table %s: %s",
			 sell_balance_table.relname, why);
	if (lines[0].max_slot == 0 && why == NULL)
		slot = sell_take_direct(dw, dc_id, lines[0].sku_id, demand, 0, true);
	else if (lines[0].max_slot == 0)
	{
		stock_exec(plan_take_zero, v, NULL, SPI_OK_UPDATE);
		slot = SPI_processed == 1 ? 0 : -1;
	}
	else
		slot = sell_take_one(dw, v, why == NULL);
	if (slot >= 0)
	{
		for (i = 0; i < n; i++)
		{
			pieces[*npieces].line_no = lines[i].line_no;
			pieces[*npieces].slot = slot;
			pieces[*npieces].qty = lines[i].qty;
			(*npieces)++;
		}
		return;
	}

	/*
	 * The thorough way: lock every slot and take what each has.  A SKU the
	 * DC never held gets its slot-0 row first, so that even then a receipt
	 * racing this sale waits for it and sees its backorder.
	 */
	stock_exec(plan_lock_slots, v, NULL, SPI_OK_SELECT);
	if (SPI_processed == 0)
	{
		stock_exec(plan_new_slot, v, NULL, SPI_OK_INSERT);
		stock_exec(plan_lock_slots, v, NULL, SPI_OK_SELECT);
	}
	tt = SPI_tuptable;
	nslots = SPI_processed;
	line_left = lines[0].qty;
	for (r = 0; r < nslots && li < n; r++)
	{
		bool		isnull;
		int32		avail;
		int32		took = 0;
		Datum		u[4];

		slot = DatumGetInt16(SPI_getbinval(tt->vals[r], tt->tupdesc, 1,
										   &isnull));
		avail = DatumGetInt32(SPI_getbinval(tt->vals[r], tt->tupdesc, 2,
											&isnull));
		while (avail > 0 && li < n)
		{
			int32		t = Min(avail, line_left);

			pieces[*npieces].line_no = lines[li].line_no;
			pieces[*npieces].slot = slot;
			pieces[*npieces].qty = t;
			(*npieces)++;
			avail -= t;
			took += t;
			line_left -= t;
			if (line_left == 0 && ++li < n)
				line_left = lines[li].qty;
		}
		if (took == 0)
			continue;

		u[0] = v[0];
		u[1] = v[1];
		u[2] = Int16GetDatum(slot);
		u[3] = Int32GetDatum(took);
		if (SPI_execute_plan(plan_take_slot, u, NULL, false, 0) !=
			SPI_OK_UPDATE || SPI_processed != 1)
			elog(ERROR, "showroom: balance slot %d vanished", slot);
	}

	/* Whatever is left is short. */
	for (; li < n; li++)
	{
		lines[li].short_qty = line_left;
		if (li + 1 < n)
			line_left = lines[li + 1].qty;
	}
}

/*
 * sell_write_one
 *		Write the line, allocation and ledger row of a one-line order
 *		order_id whose units all came from one slot of DC dc_id.
 */
static void
sell_write_one(int64 order_id, int64 dc_id, const SellLine *line,
			   const SellPiece *piece)
{
	Datum		v[7];
	int64		line_id;
	int64		alloc_id;

	v[0] = Int64GetDatum(order_id);
	v[1] = Int64GetDatum(line->sku_id);
	v[2] = Int32GetDatum(line->qty);
	v[3] = Int64GetDatum(line->price_fen);
	line_id = stock_insert_id(plan_line1, v, NULL, "sales line");

	v[0] = Int64GetDatum(line_id);
	v[1] = Int64GetDatum(order_id);
	v[2] = Int64GetDatum(dc_id);
	v[3] = Int64GetDatum(line->sku_id);
	v[4] = Int16GetDatum(piece->slot);
	v[5] = Int32GetDatum(piece->qty);
	alloc_id = stock_insert_id(plan_alloc1, v, NULL, "allocation");

	v[0] = Int64GetDatum(dc_id);
	v[1] = Int64GetDatum(line->sku_id);
	v[2] = Int16GetDatum(piece->slot);
	v[3] = Int32GetDatum(piece->qty);
	v[4] = Int64GetDatum(order_id);
	v[5] = Int64GetDatum(line_id);
	v[6] = Int64GetDatum(alloc_id);
	stock_exec(plan_move1, v, NULL, SPI_OK_INSERT);
}

/*
 * sell_insert_row
 *		Insert one row into table t directly, as one statement would, and
 *		return its id.
 */
static int64
sell_insert_row(DirectWrite *dw, DirectTable *t, const Datum *values,
				const bool *nulls)
{
	int64		id;

	direct_statement_begin(dw);
	id = DatumGetInt64(direct_column(direct_insert(dw, t, values, nulls),
									 "id"));
	direct_statement_end(dw);
	return id;
}

/*
 * sell_write_direct
 *		Write the order, line, allocation and ledger row of a one-line
 *		order whose units all came from one slot without the executor
 *		(src/direct.c), and return the order id; or, when a table or the
 *		role rules that out, write nothing and return 0.
 *
 * dw: the call's direct work; v, nulls: the parameters of plan_order
 * (nulls as SPI takes them); place: what the sale read, with the delivery
 * point.  Each row is written as one statement would write it (see
 * src/direct.c).  DEBUG1 says which way the rows went, and why not
 * directly.
 */
static int64
sell_write_direct(DirectWrite *dw, const Datum *v, const char *nulls,
				  const SellPlace *place, const SellLine *line,
				  const SellPiece *piece)
{
	DirectTable *tables[4] = {&sell_order_table, &sell_line_table,
	&sell_alloc_table, &sell_move_table};
	const char *why = NULL;
	Datum		d[11];
	bool		isnull[11];
	int64		order_id;
	int64		line_id;
	int64		alloc_id;
	int			i;

	/* The point's type is the statement's, whatever PostGIS calls it. */
	sell_order_table.cols[7].type = place->point_type;
	for (i = 0; i < 4 && why == NULL; i++)
		why = direct_refusal(dw, tables[i]);
	if (why != NULL)
	{
		elog(DEBUG1, "showroom: sale written by statements: table %s: %s",
			 tables[i - 1]->relname, why);
		return 0;
	}

	/* The order: plan_order's parameters, with the point made. */
	for (i = 0; i < 7; i++)
	{
		d[i] = v[i];
		isnull[i] = nulls[i] == 'n';
	}
	d[7] = place->point;
	isnull[7] = false;
	for (i = 8; i < 11; i++)
	{
		d[i] = v[i + 1];
		isnull[i] = nulls[i + 1] == 'n';
	}
	order_id = sell_insert_row(dw, &sell_order_table, d, isnull);

	memset(isnull, false, sizeof(isnull));
	d[0] = Int64GetDatum(order_id);
	d[1] = Int32GetDatum(1);
	d[2] = Int64GetDatum(line->sku_id);
	d[3] = Int32GetDatum(line->qty);
	d[4] = Int64GetDatum(line->price_fen);
	line_id = sell_insert_row(dw, &sell_line_table, d, isnull);

	d[0] = Int64GetDatum(line_id);
	d[1] = Int64GetDatum(order_id);
	d[2] = v[2];
	d[3] = Int64GetDatum(line->sku_id);
	d[4] = Int16GetDatum(piece->slot);
	d[5] = Int32GetDatum(piece->qty);
	d[6] = Int32GetDatum(piece->qty);
	alloc_id = sell_insert_row(dw, &sell_alloc_table, d, isnull);

	d[0] = v[2];
	d[1] = Int64GetDatum(line->sku_id);
	d[2] = Int16GetDatum(piece->slot);
	d[3] = CStringGetTextDatum("allocation");
	d[4] = Int32GetDatum(piece->qty);
	d[5] = Int32GetDatum(piece->qty);
	d[6] = Int64GetDatum(order_id);
	d[7] = Int64GetDatum(line_id);
	d[8] = Int64GetDatum(alloc_id);
	sell_insert_row(dw, &sell_move_table, d, isnull);

	elog(DEBUG1, "showroom: sale %lld written directly", (long long) order_id);
	return order_id;
}

/*
 * sell_shortfall
 *		Raise SR101 listing every short line.
 */
static void
sell_shortfall(int64 dc_id, SellLine *lines, int n)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < n; i++)
	{
		if (lines[i].short_qty == 0)
			continue;
		appendStringInfo(&buf, "%s %d (SKU %lld): %d wanted, %d short",
						 buf.len > 0 ? "; line" : "Line", lines[i].line_no,
						 (long long) lines[i].sku_id, lines[i].qty,
						 lines[i].short_qty);
	}
	ereport(ERROR,
			(errcode(ERRCODE_SR_INSUFFICIENT_STOCK),
			 errmsg("insufficient stock in distribution centre %lld",
					(long long) dc_id),
			 errdetail("%s.", buf.data),
			 errhint("Nothing was recorded.  Sell with backorder => true to let the short lines wait for stock.")));
}

/*
 * showroom_sell
 *		SQL function showroom.sell(): record an order and allocate it.
 *
 * Arguments, in order: store id, delivery lon and lat, SKU ids[],
 * quantities[], unit prices in fen[] (NULL: list prices), external
 * reference, backorder flag, customer name, phone, address, delivery
 * date, cash to collect in fen, channel.  Returns the order id; with an
 * external reference already recorded, returns that order and changes
 * nothing.  All per-call memory lives in the SPI procedure context,
 * which SPI_finish deletes before returning.
 */
PG_FUNCTION_INFO_V1(showroom_sell);
Datum
showroom_sell(PG_FUNCTION_ARGS)
{
	int64		store_id;
	double		lon,
				lat;
	SellLine   *lines;
	SellPiece  *pieces;
	int			n,
				ngroups,
				npieces = 0,
				i,
				start;
	bool		backorder = !PG_ARGISNULL(7) && PG_GETARG_BOOL(7);
	bool		any_short = false;
	text	   *ref = PG_ARGISNULL(6) ? NULL : PG_GETARG_TEXT_PP(6);
	int64		cod_fen = PG_ARGISNULL(12) ? 0 : PG_GETARG_INT64(12);
	char	   *channel = PG_ARGISNULL(13) ? "retail" :
		text_to_cstring(PG_GETARG_TEXT_PP(13));
	int64		dc_id;
	int64		order_id = 0;
	SellPlace	place;
	DirectWrite *dw;

	/* Check the arguments before touching anything. */
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_SR_UNKNOWN_STORE),
				 errmsg("unknown store"),
				 errdetail("store_id is NULL.")));
	store_id = PG_GETARG_INT64(0);
	sell_check_point(PG_ARGISNULL(1), PG_ARGISNULL(1) ? 0 : PG_GETARG_FLOAT8(1),
					 PG_ARGISNULL(2), PG_ARGISNULL(2) ? 0 : PG_GETARG_FLOAT8(2));
	lon = PG_GETARG_FLOAT8(1);
	lat = PG_GETARG_FLOAT8(2);
	if (PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("an order needs its lines"),
				 errdetail("sku_ids is %s and qtys is %s.",
						   PG_ARGISNULL(3) ? "NULL" : "given",
						   PG_ARGISNULL(4) ? "NULL" : "given")));
	if (strcmp(channel, "retail") != 0 && strcmp(channel, "key_account") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid sales channel"),
				 errdetail("channel = \"%s\".", channel),
				 errhint("Use retail or key_account.")));
	if (cod_fen < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cash on delivery must not be negative"),
				 errdetail("cod_fen = %lld.", (long long) cod_fen)));
	if (cod_fen > SELL_MAX_FEN)
		ereport(ERROR,
				(errcode(ERRCODE_SR_AMOUNT_OUT_OF_RANGE),
				 errmsg("cash on delivery out of range"),
				 errdetail("cod_fen = %lld; the most is %lld.",
						   (long long) cod_fen, (long long) SELL_MAX_FEN)));
	if (ref != NULL)
		sell_check_ref(ref);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "showroom: SPI_connect failed");
	stock_prepare_all();

	lines = sell_read_lines(PG_GETARG_ARRAYTYPE_P(3), PG_GETARG_ARRAYTYPE_P(4),
							PG_ARGISNULL(5) ? NULL : PG_GETARG_ARRAYTYPE_P(5),
							&n);

	/* A replay of a recorded order returns it unchanged. */
	if (ref != NULL)
		order_id = sell_replay(ref, store_id, lines, n);
	if (order_id != 0)
	{
		SPI_finish();
		PG_RETURN_INT64(order_id);
	}

	/* A new order: check what a replay need not. */
	if (!PG_ARGISNULL(11))
		sell_check_date(PG_GETARG_DATEADT(11));
	dw = direct_begin();
	if (!sell_read_direct(dw, store_id, lon, lat, lines, n, &place))
		sell_read_spi(store_id, lon, lat, lines, n, &place);
	dc_id = sell_choose_dc(&place, store_id, lon, lat);
	sell_check_skus(lines, n);
	sell_check_totals(lines, n);

	/* Reserve SKU by SKU, in ascending SKU order. */
	qsort(lines, n, sizeof(SellLine), sell_line_cmp);
	ngroups = 1;
	for (i = 1; i < n; i++)
		ngroups += lines[i].sku_id != lines[i - 1].sku_id;
	/* A SKU's slots give each of its lines a piece, plus one per slot. */
	pieces = palloc(sizeof(SellPiece) * (n + 256 * ngroups));
	for (start = 0; start < n; start = i)
	{
		for (i = start; i < n && lines[i].sku_id == lines[start].sku_id; i++)
			;
		sell_take_sku(dw, dc_id, &lines[start], i - start, pieces, &npieces);
	}
	qsort(lines, n, sizeof(SellLine), sell_line_no_cmp);
	for (i = 0; i < n; i++)
		any_short |= lines[i].short_qty > 0;
	if (any_short && !backorder)
		sell_shortfall(dc_id, lines, n);

	/* Write the order, its lines, allocations, movements and backorders. */
	{
		Datum		v[21];
		char		nulls[21];
		int32	   *line_no = palloc(sizeof(int32) * n);
		int64	   *sku = palloc(sizeof(int64) * n);
		int32	   *qty = palloc(sizeof(int32) * n);
		int64	   *price = palloc(sizeof(int64) * n);
		int32	   *short_qty = palloc(sizeof(int32) * n);
		int32	   *p_line = palloc(sizeof(int32) * (npieces + 1));
		int16	   *p_slot = palloc(sizeof(int16) * (npieces + 1));
		int32	   *p_qty = palloc(sizeof(int32) * (npieces + 1));

		for (i = 0; i < n; i++)
		{
			line_no[i] = lines[i].line_no;
			sku[i] = lines[i].sku_id;
			qty[i] = lines[i].qty;
			price[i] = lines[i].price_fen;
			short_qty[i] = lines[i].short_qty;
		}
		for (i = 0; i < npieces; i++)
		{
			p_line[i] = pieces[i].line_no;
			p_slot[i] = pieces[i].slot;
			p_qty[i] = pieces[i].qty;
		}

		memset(nulls, ' ', sizeof(nulls));
		v[0] = ref != NULL ? PointerGetDatum(ref) : (Datum) 0;
		nulls[0] = ref != NULL ? ' ' : 'n';
		v[1] = Int64GetDatum(store_id);
		v[2] = Int64GetDatum(dc_id);
		v[3] = CStringGetTextDatum(channel);
		for (i = 4; i <= 6; i++)
		{
			nulls[i] = PG_ARGISNULL(i + 4) ? 'n' : ' ';
			v[i] = PG_ARGISNULL(i + 4) ? (Datum) 0 : PG_GETARG_DATUM(i + 4);
		}
		v[7] = Float8GetDatum(lon);
		v[8] = Float8GetDatum(lat);
		nulls[9] = PG_ARGISNULL(11) ? 'n' : ' ';
		v[9] = PG_ARGISNULL(11) ? (Datum) 0 : PG_GETARG_DATUM(11);
		v[10] = Int64GetDatum(cod_fen);
		v[11] = CStringGetTextDatum(any_short ? "backordered" : "allocated");

		if (n == 1 && npieces == 1 && !any_short)
		{
			order_id = sell_write_direct(dw, v, nulls, &place, &lines[0],
										 &pieces[0]);
			if (order_id != 0)
			{
				direct_end(dw);
				SPI_finish();
				PG_RETURN_INT64(order_id);
			}
		}
		order_id = stock_insert_id(plan_order, v, nulls, "sales order");
		if (n == 1 && npieces == 1 && !any_short)
			sell_write_one(order_id, dc_id, &lines[0], &pieces[0]);
		else
		{
			v[12] = showroom_int4_array(line_no, n);
			v[13] = showroom_int8_array(sku, n);
			v[14] = showroom_int4_array(qty, n);
			v[15] = showroom_int8_array(price, n);
			v[16] = showroom_int4_array(p_line, npieces);
			v[17] = showroom_int2_array(p_slot, npieces);
			v[18] = showroom_int4_array(p_qty, npieces);
			v[19] = showroom_int4_array(short_qty, n);
			v[20] = Int64GetDatum(order_id);
			nulls[20] = ' ';
			stock_exec(any_short ? plan_write_bo : plan_write, v, nulls,
					   SPI_OK_SELECT);
		}
	}

	direct_end(dw);
	SPI_finish();
	PG_RETURN_INT64(order_id);
}
