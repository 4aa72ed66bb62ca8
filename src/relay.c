/*-------------------------------------------------------------------------
 *
 * relay.c
 *	  The notice relay: a background worker that sends the NOTIFYs of
 *	  dispatch after the dispatching transactions have committed.
 *
 * PostgreSQL serialises the commits of all transactions that NOTIFY (a
 * database-wide lock is held from pre-commit until the commit record is
 * flushed), which caps a busy dispatcher's throughput.  With the setting
 * dispatch.notify_relay on, dispatch writes each notice as a row of
 * showroom.outlet_notice in its own transaction instead; this worker reads
 * the committed rows in id order, NOTIFYs each on its outlet's channel and
 * deletes them, a batch per transaction.  A rolled-back dispatch leaves no
 * row, so it is never announced.  A notice is sent at least once: the
 * NOTIFYs and the delete commit together, so a crash of the relay before
 * its commit sends the batch again next time, and listeners must tolerate
 * a repeat (the payload names the order).
 *
 * One relay runs per database; it holds a session advisory lock (keys
 * RELAY_KEY1, RELAY_KEY2) while it works, and a second one that finds the
 * lock taken leaves at once.  It is started by showroom.start_relay(), or
 * lazily by the first dispatch that writes a notice while no relay holds
 * the lock, and it runs as the extension's owner.  It polls every
 * dispatch.relay_poll_ms milliseconds and leaves after RELAY_IDLE_MS with
 * nothing to send, so that it never holds up DROP DATABASE for long.  It
 * also leaves when the extension has been dropped.
 *
 * A dispatch that found a relay running counts on it to send its notices
 * after its commit, however late that comes.  So every transaction that
 * writes notices holds the writers' lock (RELAY_KEY1, WRITERS_KEY2) in
 * share mode from before it looks for a relay to its end, and a relay
 * leaves only once it has let go of its own lock and then taken the
 * writers' lock exclusively, without waiting: at that moment no
 * transaction that saw it running is still open, and every one that
 * comes later finds no relay and starts one.  While a writer is open the
 * relay stays and tries again after another RELAY_IDLE_MS.
 *
 *-------------------------------------------------------------------------
 */
#include "showroom.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/async.h"
#include "dispatch.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

/*
 * The advisory lock keys of the relay ("show", "rely"), the launch's and
 * the notice writers'.
 */
#define RELAY_KEY1		0x73686f77
#define RELAY_KEY2		0x72656c79
#define LAUNCH_KEY2		0x6c6e6368
#define WRITERS_KEY2	0x77727472

/* Notices sent per transaction; idle time after which the relay leaves. */
#define RELAY_BATCH		1000
#define RELAY_IDLE_MS	3000

/* A backend launches at most one relay per this many milliseconds. */
#define LAUNCH_GAP_MS	1000

PGDLLEXPORT void showroom_relay_main(Datum main_arg);

/* The relay's two queries: take a batch of notices; read the interval. */
static const char *take_sql =
"WITH d AS (DELETE FROM showroom.outlet_notice"
"            WHERE id IN (SELECT id FROM showroom.outlet_notice"
"                          ORDER BY id LIMIT " CppAsString2(RELAY_BATCH) ")"
"           RETURNING id, outlet_id, event, service_order_id)"
" SELECT outlet_id, event, service_order_id FROM d ORDER BY id";

static const char *poll_sql =
"SELECT coalesce(s.value, d.value)::int4"
"  FROM showroom.setting_default d"
"  LEFT JOIN showroom.setting s USING (name)"
" WHERE d.name = 'dispatch.relay_poll_ms'";

static SPIPlanPtr take_plan = NULL;
static SPIPlanPtr poll_plan = NULL;
static TimestampTz last_launch = 0;
static bool warned = false;

/*
 * The last field of the relay's advisory lock tags.  The SQL functions
 * pg_advisory_lock() and the like build tags with 1 (one bigint key) or
 * 2 (two integer keys) there, so no session can take, and hold, a lock
 * of the relay's: it could otherwise pass for a running relay, or stop
 * every dispatch by holding the writers' lock.
 */
#define RELAY_TAG_KIND	3

/*
 * relay_locktag
 *		Fill *tag with the relay's advisory lock of key2 in database dbid.
 */
static void
relay_locktag(LOCKTAG *tag, Oid dbid, uint32 key2)
{
	SET_LOCKTAG_ADVISORY(*tag, dbid, RELAY_KEY1, key2, RELAY_TAG_KIND);
}

/*
 * relay_owner
 *		The role that owns the extension: the relay runs as it.  The caller
 *		is connected to SPI (its last result is overwritten).
 */
static Oid
relay_owner(void)
{
	bool		null;

	if (SPI_execute("SELECT extowner FROM pg_catalog.pg_extension"
					" WHERE extname = 'showroom'", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "showroom is not installed in this database");
	return DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
										  SPI_tuptable->tupdesc, 1, &null));
}

/*
 * relay_launch
 *		Register a relay for the current database, running as owner.  With
 *		pid, wait until it has started and set *pid.  Returns false when no
 *		background worker slot is free.
 */
static bool
relay_launch(Oid owner, pid_t *pid)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS |
		BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "showroom");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "showroom_relay_main");
	snprintf(worker.bgw_name, BGW_MAXLEN,
			 "showroom notice relay for database %u", MyDatabaseId);
	snprintf(worker.bgw_type, BGW_MAXLEN, "showroom notice relay");
	worker.bgw_main_arg = ObjectIdGetDatum(MyDatabaseId);
	memcpy(worker.bgw_extra, &owner, sizeof(Oid));
	worker.bgw_notify_pid = pid ? MyProcPid : 0;

	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
		return false;
	if (pid != NULL &&
		WaitForBackgroundWorkerStartup(handle, pid) != BGWH_STARTED)
		return false;
	return true;
}

/*
 * relay_lock_held
 *		Whether another session holds the relay lock key2 of database
 *		dbid in a mode that conflicts with mode, tested by taking it
 *		without waiting (for the session when session, else for the
 *		transaction) and letting it go at once.
 */
static bool
relay_lock_held(Oid dbid, uint32 key2, LOCKMODE mode, bool session)
{
	LOCKTAG		tag;

	relay_locktag(&tag, dbid, key2);
	if (LockAcquire(&tag, mode, session, true) == LOCKACQUIRE_NOT_AVAIL)
		return true;
	LockRelease(&tag, mode, session);
	return false;
}

/*
 * relay_running
 *		Whether a relay holds this database's relay lock now.
 */
static bool
relay_running(void)
{
	return relay_lock_held(MyDatabaseId, RELAY_KEY2, ShareLock, false);
}

/*
 * relay_ensure
 *		Called by dispatch when it writes a notice: start a relay unless
 *		one runs.  The caller is connected to SPI.
 *
 * First it joins the notice writers (a share lock held to the end of the
 * transaction), so that a relay found running cannot leave before this
 * transaction ends; see the head of this file.
 *
 * Cheap when a relay runs (two lock requests).  Otherwise one
 * backend at a time (holding the launch lock to the end of its
 * transaction) launches one, and no backend launches more than one per
 * LAUNCH_GAP_MS; a second relay started by a race leaves at once.  When
 * no worker slot is free, the notices wait in outlet_notice and a warning
 * says so once per session.
 */
void
relay_ensure(void)
{
	LOCKTAG		tag;
	TimestampTz now = GetCurrentTransactionStartTimestamp();

	relay_locktag(&tag, MyDatabaseId, WRITERS_KEY2);
	(void) LockAcquire(&tag, ShareLock, false, false);

	if (relay_running() ||
		!TimestampDifferenceExceeds(last_launch, now, LAUNCH_GAP_MS))
		return;

	relay_locktag(&tag, MyDatabaseId, LAUNCH_KEY2);
	if (LockAcquire(&tag, ExclusiveLock, false, true) == LOCKACQUIRE_NOT_AVAIL)
		return;
	last_launch = now;
	if (!relay_launch(relay_owner(), NULL) && !warned)
	{
		warned = true;
		ereport(WARNING,
				(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
				 errmsg("could not start the showroom notice relay"),
				 errdetail("No background worker slot is free; dispatch notices wait in showroom.outlet_notice."),
				 errhint("Raise max_worker_processes, or set dispatch.notify_relay to false.")));
	}
}

/*
 * showroom_start_relay
 *		start_relay(): start the notice relay of this database unless one
 *		runs; return the process id of the relay.
 */
PG_FUNCTION_INFO_V1(showroom_start_relay);
Datum
showroom_start_relay(PG_FUNCTION_ARGS)
{
	pid_t		pid = 0;
	pid_t		started;
	Oid			owner;
	char	   *find;

	find = psprintf("SELECT pid FROM pg_catalog.pg_locks"
					" WHERE locktype = 'advisory' AND granted"
					"   AND mode = 'ExclusiveLock' AND database = %u"
					"   AND classid = %u AND objid = %u AND objsubid = %d",
					MyDatabaseId, RELAY_KEY1, RELAY_KEY2, RELAY_TAG_KIND);
	SPI_connect();
	owner = relay_owner();
	for (int tries = 0; tries < 500; tries++)
	{
		bool		null;

		/* The relay that holds the lock, if any. */
		if (SPI_execute(find, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read pg_locks");
		if (SPI_processed == 1)
		{
			pid = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
											  SPI_tuptable->tupdesc, 1,
											  &null));
			break;
		}

		/* None: launch one once, then wait for it to take the lock. */
		if (tries == 0 && !relay_launch(owner, &started))
			ereport(ERROR,
					(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
					 errmsg("could not start the showroom notice relay"),
					 errdetail("No background worker slot is free."),
					 errhint("Raise max_worker_processes.")));
		pg_usleep(10000L);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_finish();

	if (pid == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the showroom notice relay did not start"),
				 errhint("See the server log.")));
	PG_RETURN_INT32((int32) pid);
}

/*
 * relay_round
 *		One transaction of the relay: send and delete up to RELAY_BATCH
 *		committed notices in id order, and read the poll interval into
 *		*poll_ms.  Returns the number sent, or -1 when the extension is
 *		gone from the database.
 */
static int
relay_round(int *poll_ms)
{
	Oid			nsp;
	int			sent = 0;
	bool		null;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	nsp = get_namespace_oid("showroom", true);
	if (!OidIsValid(nsp) || !OidIsValid(get_relname_relid("outlet_notice",
														   nsp)))
	{
		PopActiveSnapshot();
		CommitTransactionCommand();
		return -1;
	}

	SPI_connect();
	if (take_plan == NULL)
	{
		take_plan = showroom_prepare_kept(take_sql, 0, NULL, 0);
		poll_plan = showroom_prepare_kept(poll_sql, 0, NULL, 0);
	}

	pgstat_report_activity(STATE_RUNNING, "showroom: relaying notices");
	if (SPI_execute_plan(take_plan, NULL, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read showroom.outlet_notice");
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		dispatch_notify(DatumGetInt64(SPI_getbinval(tup, desc, 1, &null)),
						SPI_getvalue(tup, desc, 2),
						DatumGetInt64(SPI_getbinval(tup, desc, 3, &null)));
		sent++;
	}

	if (SPI_execute_plan(poll_plan, NULL, NULL, true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		/* The setting's range, kept also against a row written by hand. */
		int32		v = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
													SPI_tuptable->tupdesc, 1,
													&null));

		*poll_ms = Min(Max(v, 1), 1000);
	}
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	pgstat_report_stat(false);
	return sent;
}

/*
 * showroom_relay_main
 *		Entry point of the relay worker; main_arg is the database's oid,
 *		bgw_extra the role to run as.
 */
void
showroom_relay_main(Datum main_arg)
{
	Oid			dbid = DatumGetObjectId(main_arg);
	Oid			owner;
	LOCKTAG		tag;
	int			poll_ms = 10;
	TimestampTz last_work;

	memcpy(&owner, MyBgworkerEntry->bgw_extra, sizeof(Oid));
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(dbid, owner, 0);

	/* Be the only relay of the database, or leave. */
	relay_locktag(&tag, dbid, RELAY_KEY2);
	if (LockAcquire(&tag, ExclusiveLock, true, true) == LOCKACQUIRE_NOT_AVAIL)
		proc_exit(0);

	last_work = GetCurrentTimestamp();
	for (;;)
	{
		int			sent;

		CHECK_FOR_INTERRUPTS();
		sent = relay_round(&poll_ms);
		if (sent < 0)
			break;
		if (sent > 0)
			last_work = GetCurrentTimestamp();
		if (sent == RELAY_BATCH)
			continue;

		/*
		 * Idle too long: let go of the lock first, so that a dispatch from
		 * now on starts a new relay; stay while a dispatch that saw this
		 * relay running is open; else send what came in meanwhile, and
		 * leave unless that was something.
		 */
		if (sent == 0 &&
			TimestampDifferenceExceeds(last_work, GetCurrentTimestamp(),
									   RELAY_IDLE_MS))
		{
			LockRelease(&tag, ExclusiveLock, true);
			if (relay_lock_held(dbid, WRITERS_KEY2, ExclusiveLock, true))
			{
				if (LockAcquire(&tag, ExclusiveLock, true, true) ==
					LOCKACQUIRE_NOT_AVAIL)
					break;		/* a new relay took over */
			}
			else if (relay_round(&poll_ms) <= 0 ||
					 LockAcquire(&tag, ExclusiveLock, true, true) ==
					 LOCKACQUIRE_NOT_AVAIL)
				break;
			last_work = GetCurrentTimestamp();
		}

		(void) WaitLatch(MyLatch,
						 WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 poll_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
	proc_exit(0);
}
