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
 * deadlock.  A one-line order served from one slot writes its order,
 * line, allocation and ledger row without the executor (src/direct.c)
 * when the tables and the caller's role allow it, else with four plain
 * INSERTs; larger orders use one statement for all of their lines' rows.
 *
 * The rest of the order's lifecycle (pick, ship, deliver, cancel, ...) is
 * plain SQL in src/sql/stock.sql; it is not on a hot path.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include <math.h>

#include "common/int.h"
#include "mb/pg_wchar.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"

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
} SellLine;

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
		{"delivery_point", InvalidOid}, {"delivery_date", DATEOID},
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
 * sell_choose_dc
 *		The DC that serves a sale: the active DC whose delivery region
 *		covers the customer's point (the lowest id if several), else the
 *		store's home DC, which must be active.
 *
 * store_id: the selling store; lon, lat: the delivery point; lines, n:
 * the order's lines.  Returns the DC id, and in *point the delivery point
 * as a geometry.  One statement reads the store, the covering DC, the
 * home DC and the lines' SKUs together (one row per SKU found, at least
 * one if the store exists); it stays in SPI_tuptable for sell_check_skus.
 */
static int64
sell_choose_dc(int64 store_id, double lon, double lat, SellLine *lines,
			   int n, Datum *point)
{
	Datum		v[4];
	int64	   *ids = palloc(sizeof(int64) * n);
	bool		isnull;
	int64		home_dc;
	int64		dc_id;
	HeapTuple	tup;
	TupleDesc	desc;
	Datum		home_active;
	int			i;

	for (i = 0; i < n; i++)
		ids[i] = lines[i].sku_id;
	v[0] = Int64GetDatum(store_id);
	v[1] = Float8GetDatum(lon);
	v[2] = Float8GetDatum(lat);
	v[3] = showroom_int8_array(ids, n);
	stock_exec(plan_store, v, NULL, SPI_OK_SELECT);
	if (!stock_first_int8(1, &home_dc))
		ereport(ERROR,
				(errcode(ERRCODE_SR_UNKNOWN_STORE),
				 errmsg("unknown store"),
				 errdetail("No store has id %lld.", (long long) store_id)));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	*point = datumCopy(SPI_getbinval(tup, desc, 9, &isnull), false, -1);
	if (!DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_SR_INACTIVE_STORE),
				 errmsg("store is not active"),
				 errdetail("Store %lld is inactive and may not sell.",
						   (long long) store_id)));
	if (stock_first_int8(3, &dc_id))
		return dc_id;

	home_active = SPI_getbinval(tup, desc, 4, &isnull);
	if (isnull || !DatumGetBool(home_active))
		ereport(ERROR,
				(errcode(ERRCODE_SR_INACTIVE_DC),
				 errmsg("distribution centre is not active"),
				 errdetail("No active DC covers (%g, %g) and store %lld's home DC %lld is inactive.",
						   lon, lat, (long long) store_id,
						   (long long) home_dc),
				 errhint("Reactivate the DC or move the store to another home DC.")));
	return home_dc;
}

/*
 * sell_check_skus
 *		Check that every line's SKU exists and is active, and fill in list
 *		prices where the caller gave none; note each SKU's highest slot.
 *
 * Reads the SKU columns (5 to 8) of the rows sell_choose_dc left in
 * SPI_tuptable.
 */
static void
sell_check_skus(SellLine *lines, int n)
{
	SPITupleTable *tt = SPI_tuptable;
	uint64		nrows = SPI_processed;
	uint64		r;
	int			i;

	for (i = 0; i < n; i++)
	{
		bool		found = false;

		for (r = 0; r < nrows && !found; r++)
		{
			HeapTuple	tup = tt->vals[r];
			TupleDesc	desc = tt->tupdesc;
			bool		isnull;
			Datum		id = SPI_getbinval(tup, desc, 5, &isnull);
			Datum		max_slot;

			if (isnull || DatumGetInt64(id) != lines[i].sku_id)
				continue;
			found = true;
			if (!DatumGetBool(SPI_getbinval(tup, desc, 6, &isnull)))
				ereport(ERROR,
						(errcode(ERRCODE_SR_INACTIVE_SKU),
						 errmsg("SKU is not active"),
						 errdetail("Line %d: SKU %lld may no longer be sold.",
								   lines[i].line_no,
								   (long long) lines[i].sku_id)));
			if (lines[i].price_fen < 0)
				lines[i].price_fen =
					DatumGetInt64(SPI_getbinval(tup, desc, 7, &isnull));
			max_slot = SPI_getbinval(tup, desc, 8, &isnull);
			lines[i].max_slot = isnull ? -1 : DatumGetInt16(max_slot);
		}
		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_SR_UNKNOWN_SKU),
					 errmsg("unknown SKU"),
					 errdetail("Line %d: no SKU has id %lld.",
							   lines[i].line_no,
							   (long long) lines[i].sku_id)));
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
 * sell_take_one
 *		The fast way to reserve a SKU's demand: one statement that finds a
 *		free slot holding all of it and adds the demand to its allocated.
 *
 * v: dc id, SKU id and demand (v[3] is set here).  The search starts at
 * the slot this backend took last time, then at slot 0.  Returns the slot,
 * or -1 if no free slot can serve the demand.
 *
 * It runs in a subtransaction that is rolled back when it fails.  FOR
 * UPDATE SKIP LOCKED locks a row before rechecking it: when a sale that
 * committed after the search began has left a slot short, the slot is
 * skipped but stays locked.  Such a stray lock would break the slot order
 * in which the thorough way then locks the slots, and two sales draining
 * the last units could deadlock; rolling the subtransaction back
 * releases it.
 */
static int16
sell_take_one(Datum *v)
{
	ShowroomAttempt attempt;
	int16		slot = -1;
	bool		isnull;

	showroom_attempt_begin(&attempt);

	v[3] = Int16GetDatum(last_slot);
	stock_exec(plan_take_one, v, NULL, SPI_OK_UPDATE_RETURNING);
	if (SPI_processed == 0 && last_slot > 0)
	{
		v[3] = Int16GetDatum(0);
		stock_exec(plan_take_one, v, NULL, SPI_OK_UPDATE_RETURNING);
	}
	if (SPI_processed == 1)
		slot = DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[0],
										   SPI_tuptable->tupdesc, 1,
										   &isnull));

	showroom_attempt_end(&attempt, slot >= 0);
	if (slot >= 0)
		last_slot = slot;
	return slot;
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
sell_take_sku(int64 dc_id, SellLine *lines, int n, SellPiece *pieces,
			  int *npieces)
{
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
	if (lines[0].max_slot == 0)
	{
		stock_exec(plan_take_zero, v, NULL, SPI_OK_UPDATE);
		slot = SPI_processed == 1 ? 0 : -1;
	}
	else
		slot = sell_take_one(v);
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
 * sell_write_direct
 *		Write the order, line, allocation and ledger row of a one-line
 *		order whose units all came from one slot without the executor
 *		(src/direct.c), and return the order id; or, when a table or the
 *		role rules that out, write nothing and return 0.
 *
 * v, nulls: the parameters of plan_order (nulls as SPI takes them);
 * point: the delivery point as a geometry.  DEBUG1 says which way the
 * rows went, and why not directly.
 */
static int64
sell_write_direct(const Datum *v, const char *nulls, Datum point,
				  const SellLine *line, const SellPiece *piece)
{
	DirectTable *tables[4] = {&sell_order_table, &sell_line_table,
	&sell_alloc_table, &sell_move_table};
	TupleTableSlot *rows[4];
	DirectWrite *dw = direct_begin();
	const char *why = NULL;
	DirectTable *at = NULL;		/* the table that why is about */
	Datum		d[11];
	bool		isnull[11];
	int64		order_id = 0;
	int64		line_id;
	int64		alloc_id;
	int			i;

	for (i = 0; i < 4 && why == NULL; i++)
		why = direct_refusal(dw, at = tables[i]);

	/* The order: plan_order's parameters, with the point made. */
	for (i = 0; i < 7; i++)
	{
		d[i] = v[i];
		isnull[i] = nulls[i] == 'n';
	}
	d[7] = point;
	isnull[7] = false;
	for (i = 8; i < 11; i++)
	{
		d[i] = v[i + 1];
		isnull[i] = nulls[i + 1] == 'n';
	}
	if (why == NULL)
		rows[0] = direct_form(dw, at = &sell_order_table, d, isnull, &why);
	if (why == NULL)
	{
		order_id = DatumGetInt64(direct_column(rows[0], "id"));
		memset(isnull, false, sizeof(isnull));
		d[0] = Int64GetDatum(order_id);
		d[1] = Int32GetDatum(1);
		d[2] = Int64GetDatum(line->sku_id);
		d[3] = Int32GetDatum(line->qty);
		d[4] = Int64GetDatum(line->price_fen);
		rows[1] = direct_form(dw, at = &sell_line_table, d, isnull, &why);
	}
	if (why == NULL)
	{
		line_id = DatumGetInt64(direct_column(rows[1], "id"));
		d[0] = Int64GetDatum(line_id);
		d[1] = Int64GetDatum(order_id);
		d[2] = v[2];
		d[3] = Int64GetDatum(line->sku_id);
		d[4] = Int16GetDatum(piece->slot);
		d[5] = Int32GetDatum(piece->qty);
		d[6] = Int32GetDatum(piece->qty);
		rows[2] = direct_form(dw, at = &sell_alloc_table, d, isnull, &why);
	}
	if (why == NULL)
	{
		alloc_id = DatumGetInt64(direct_column(rows[2], "id"));
		d[0] = v[2];
		d[1] = Int64GetDatum(line->sku_id);
		d[2] = Int16GetDatum(piece->slot);
		d[3] = CStringGetTextDatum("allocation");
		d[4] = Int32GetDatum(piece->qty);
		d[5] = Int32GetDatum(piece->qty);
		d[6] = Int64GetDatum(order_id);
		d[7] = Int64GetDatum(line_id);
		d[8] = Int64GetDatum(alloc_id);
		rows[3] = direct_form(dw, at = &sell_move_table, d, isnull, &why);
	}
	if (why != NULL)
	{
		direct_end(dw);
		elog(DEBUG1, "showroom: sale written by statements: table %s: %s",
			 at->relname, why);
		return 0;
	}
	for (i = 0; i < 4; i++)
		direct_insert(dw, rows[i]);
	direct_end(dw);
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
	Datum		point;

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
	dc_id = sell_choose_dc(store_id, lon, lat, lines, n, &point);
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
		sell_take_sku(dc_id, &lines[start], i - start, pieces, &npieces);
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
			order_id = sell_write_direct(v, nulls, point, &lines[0],
										 &pieces[0]);
			if (order_id != 0)
			{
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

	SPI_finish();
	PG_RETURN_INT64(order_id);
}
