/*
 * ReportClient: read showroom's report views through the PostgreSQL JDBC
 * driver, the way a BI tool does, and show that the login reads views
 * only.
 *
 *   java ReportClient JDBC_URL EXPECTED_VIEWS REPORTS PARTY_VIEWS
 *
 * It lists the views (and materialized views) of schema showroom through
 * DatabaseMetaData, with their columns, and reads the rows of each; then
 * it lists the tables and sequences and tries to read each.  REPORTS and
 * PARTY_VIEWS are comma-separated names: the report views that must be
 * there and return rows, and the parties' security_invoker copies, which
 * the login must be refused (they read tables as the reader).  It prints
 * what it checked and exits 1 if the number of views it may read differs
 * from EXPECTED_VIEWS (the count the catalog gives), if a report is
 * missing or empty, if a view has no columns, cannot be read, or returns
 * columns other than those the metadata listed, if a party's copy can be
 * read, or if a table or sequence can be read or fails for a reason
 * other than a missing privilege (SQLSTATE 42501).
 */

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public final class ReportClient
{
	private static final String SCHEMA = "showroom";
	private static final int MAX_ROWS = 10000;

	private static final List<String> problems = new ArrayList<>();

	/* Rows read from each view that could be read. */
	private static final Map<String, Long> rowsRead = new HashMap<>();

	public static void main(String[] args) throws SQLException
	{
		if (args.length != 4)
		{
			System.err.println("usage: ReportClient JDBC_URL EXPECTED_VIEWS REPORTS PARTY_VIEWS");
			System.exit(2);
		}
		int expectedViews = Integer.parseInt(args[1]);
		List<String> reports = names(args[2]);
		List<String> partyViews = names(args[3]);

		try (Connection conn = DriverManager.getConnection(args[0]))
		{
			/* A BI tool reads; ask the server to refuse any write. */
			conn.setReadOnly(true);
			DatabaseMetaData md = conn.getMetaData();
			System.out.printf("connected: %s %s to %s %s as %s%n",
							  md.getDriverName(), md.getDriverVersion(),
							  md.getDatabaseProductName(),
							  md.getDatabaseProductVersion(), md.getUserName());

			List<String> views = list(md, "VIEW", "MATERIALIZED VIEW");
			int readable = 0;

			for (String view : views)
			{
				if (partyViews.contains(view))
					tryRefused(conn, "view", view);
				else
				{
					readView(conn, md, view);
					readable++;
				}
			}
			if (readable != expectedViews)
				problems.add(String.format("metadata lists %d views to read, the catalog %d",
										   readable, expectedViews));
			for (String report : reports)
			{
				if (!views.contains(report))
					problems.add("report view " + report + " is missing");
				else if (rowsRead.getOrDefault(report, 0L) == 0)
					problems.add("report view " + report + " returned no row");
			}
			for (String copy : partyViews)
				if (!views.contains(copy))
					problems.add("party view " + copy + " is missing");

			List<String> tables = list(md, "TABLE", "PARTITIONED TABLE",
									   "FOREIGN TABLE", "SEQUENCE");
			if (tables.isEmpty())
				problems.add("metadata lists no table, so none was tried");
			for (String table : tables)
				tryRefused(conn, "table", table);

			System.out.printf("checked %d views and %d tables and sequences%n",
							  views.size(), tables.size());
		}

		for (String p : problems)
			System.out.println("PROBLEM: " + p);
		System.exit(problems.isEmpty() ? 0 : 1);
	}

	/* names: the names of a comma-separated list (none for ""). */
	private static List<String> names(String csv)
	{
		return csv.isEmpty() ? new ArrayList<>() : Arrays.asList(csv.split(","));
	}

	/* list: names of the objects of schema showroom of the given types. */
	private static List<String> list(DatabaseMetaData md, String... types)
		throws SQLException
	{
		List<String> names = new ArrayList<>();

		try (ResultSet rs = md.getTables(null, SCHEMA, "%", types))
		{
			while (rs.next())
				names.add(rs.getString("TABLE_NAME"));
		}
		return names;
	}

	/* quote: a name as an SQL identifier, qualified with the schema. */
	private static String quote(String name)
	{
		return SCHEMA + ".\"" + name.replace("\"", "\"\"") + "\"";
	}

	/*
	 * readView: list a view's columns through the metadata, read its rows
	 * (every value of every column) and compare the columns the result
	 * carries with the listed ones.
	 */
	private static void readView(Connection conn, DatabaseMetaData md,
								 String view) throws SQLException
	{
		List<String> columns = new ArrayList<>();
		List<String> described = new ArrayList<>();

		try (ResultSet rs = md.getColumns(null, SCHEMA, view, "%"))
		{
			while (rs.next())
			{
				columns.add(rs.getString("COLUMN_NAME"));
				described.add(rs.getString("COLUMN_NAME") + " "
							  + rs.getString("TYPE_NAME"));
			}
		}
		if (columns.isEmpty())
		{
			problems.add("view " + view + " lists no columns");
			return;
		}

		try (Statement st = conn.createStatement())
		{
			st.setMaxRows(MAX_ROWS);
			try (ResultSet rs = st.executeQuery("SELECT * FROM " + quote(view)))
			{
				ResultSetMetaData rmd = rs.getMetaData();
				List<String> got = new ArrayList<>();
				long rows = 0;

				for (int i = 1; i <= rmd.getColumnCount(); i++)
					got.add(rmd.getColumnName(i));
				if (!got.equals(columns))
					problems.add("view " + view + " returns columns " + got
								 + ", the metadata lists " + columns);
				while (rs.next())
				{
					for (int i = 1; i <= rmd.getColumnCount(); i++)
						rs.getObject(i);
					rows++;
				}
				rowsRead.put(view, rows);
				System.out.printf("view %s.%s: %d row(s) read; columns: %s%n",
								  SCHEMA, view, rows, String.join(", ", described));
			}
		}
		catch (SQLException e)
		{
			problems.add("view " + view + " cannot be read: " + e.getSQLState()
						 + " " + e.getMessage());
		}
	}

	/*
	 * tryRefused: reading a table, a sequence or a party's view (what
	 * says which) must fail for lack of privilege.
	 */
	private static void tryRefused(Connection conn, String what, String name)
	{
		try (Statement st = conn.createStatement();
			 ResultSet rs = st.executeQuery("SELECT 1 FROM " + quote(name) + " LIMIT 1"))
		{
			problems.add(what + " " + name + " can be read");
		}
		catch (SQLException e)
		{
			if ("42501".equals(e.getSQLState()))
				System.out.printf("%s %s.%s: refused (%s)%n", what, SCHEMA, name,
								  e.getSQLState());
			else
				problems.add(what + " " + name + " failed with " + e.getSQLState()
							 + " " + e.getMessage() + ", not 42501");
		}
	}
}
