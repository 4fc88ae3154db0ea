using Microsoft.Data.Sqlite;

namespace ClusterPool.Samples.Finance;

/// <summary>
/// The sample's results: one row per company in a SQLite table, written a batch at a time, each batch in one
/// transaction. Interrupted at any moment, the file holds whole batches only and passes <c>PRAGMA integrity_check</c>.
/// </summary>
public sealed class ResultsDatabase : IDisposable
{
    private readonly SqliteConnection _connection;

    /// <summary>Opens (or creates) the database and its <c>company_scores</c> table.</summary>
    public ResultsDatabase(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try { _connection.Open(); }
        catch (SqliteException e)
        {
            _connection.Dispose();
            var full = Path.GetFullPath(path);
            throw new IOException(Directory.Exists(full)
                ? $"the results database {full} is a folder, not a database file"
                : $"the results database {full} cannot be opened ({e.Message})", e);
        }
        using var create = _connection.CreateCommand();
        create.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS company_scores (
                id INTEGER PRIMARY KEY, ticker TEXT NOT NULL, sector TEXT NOT NULL, return_on_equity REAL NOT NULL,
                gross_margin REAL NOT NULL, operating_margin REAL NOT NULL, net_margin REAL NOT NULL,
                revenue_growth REAL NOT NULL, debt_to_equity REAL NOT NULL, score REAL NOT NULL);
            """;
        create.ExecuteNonQuery();
    }

    /// <summary>Writes <paramref name="batch"/> in one transaction (a company analysed again replaces its row).</summary>
    public void WriteBatch(IReadOnlyList<CompanyScore> batch)
    {
        if (batch.Count == 0) return;
        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT OR REPLACE INTO company_scores VALUES ($id, $ticker, $sector, $roe, $gross, $operating, $net, $growth, $de, $score)
            """;
        string[] names = ["$id", "$ticker", "$sector", "$roe", "$gross", "$operating", "$net", "$growth", "$de", "$score"];
        var parameters = names.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        foreach (var s in batch)
        {
            object[] values = [s.Id, s.Ticker, s.Sector, s.ReturnOnEquity, s.GrossMargin, s.OperatingMargin, s.NetMargin, s.RevenueGrowth, s.DebtToEquity, s.Score];
            for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i];
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>How many companies the table holds.</summary>
    public long Count()
    {
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM company_scores";
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>The best <paramref name="n"/> companies by score.</summary>
    public List<(string Ticker, string Sector, double Score)> Top(int n)
    {
        using var top = _connection.CreateCommand();
        top.CommandText = "SELECT ticker, sector, score FROM company_scores ORDER BY score DESC, id LIMIT $n";
        top.Parameters.AddWithValue("$n", n);
        using var rows = top.ExecuteReader();
        var list = new List<(string, string, double)>();
        while (rows.Read()) list.Add((rows.GetString(0), rows.GetString(1), rows.GetDouble(2)));
        return list;
    }

    /// <summary>Closes the database.</summary>
    public void Dispose() => _connection.Dispose();
}
