# Makefile for showroom, built with PGXS.
#
#   make                      build the module and the install script
#   make install              install into the PostgreSQL of $(PG_CONFIG)
#   make installcheck         run the regression and isolation suites
#
# tools/test does all of this against a throwaway cluster; use that.

EXTENSION = showroom
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = showroom
OBJS = \
	src/showroom.o \
	src/stock.o \
	src/direct.o \
	src/money.o \
	src/settle.o \
	src/spheroid.o \
	src/tariff.o \
	src/tariff_parse.o \
	src/areas.o \
	src/cover.o \
	src/dispatch.o \
	src/relay.o \
	src/flow.o \
	src/flow_trigger.o \
	src/routing.o \
	src/runs.o \
	src/median.o \
	src/siting.o

# The install script is generated from these, in this order.  Each file is
# one room of the house (doc/development.md); later rooms may refer to
# earlier ones, never the other way round.
SQL_SOURCES = \
	src/sql/schema.sql \
	src/sql/stock.sql \
	src/sql/samples.sql \
	src/sql/areas.sql \
	src/sql/runs.sql \
	src/sql/workflow.sql \
	src/sql/dispatch.sql \
	src/sql/parts.sql \
	src/sql/settlement.sql \
	src/sql/fees.sql \
	src/sql/discipline.sql \
	src/sql/offers.sql \
	src/sql/cash.sql \
	src/sql/reports.sql \
	src/sql/decide.sql \
	src/sql/roles.sql \
	src/sql/finish.sql

DATA_built = $(EXTENSION)--$(EXTVERSION).sql
# Frozen install scripts of earlier releases and the upgrade scripts.
DATA = $(wildcard versions/$(EXTENSION)--*.sql)

PG_CPPFLAGS = -Iinclude -DSHOWROOM_LIBRARY_VERSION=\"$(EXTVERSION)\"
# -Wextra's unused-parameter warnings come only from PostgreSQL's own
# headers (ilist.h, bufpage.h, fmgr.h); our files build clean without it.
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter

REGRESS = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
ISOLATION = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))

EXTRA_CLEAN = results/ regression.diffs regression.out output_iso/ \
	tmp_check/ log/

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_SOURCES) $(EXTENSION).control
	cat $(SQL_SOURCES) > $@
