using System.Globalization;

namespace ClusterPool.TestApp;

/// <summary>
/// Cultures and culture-aware comparers crossing to a worker and back, in a program with .NET's culture data (ICU), as
/// users' programs have it (the tests themselves run without). Prints a line per check; exits with the number that
/// failed.
/// </summary>
public static class Cultures
{
    /// <summary>Runs every check on a pool of one worker.</summary>
    public static int Run()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1 });
        var failed = 0;
        void Check(string name, Func<object?> local, Func<object?> pooled)
        {
            string Outcome(Func<object?> f)
            {
                try { return $"{f()}"; }
                catch (Exception e) { return $"{e.GetType().Name}: {e.Message}"; }
            }
            var (expected, seen) = (Outcome(local), Outcome(pooled));
            if (expected != seen) failed++;
            Console.WriteLine(expected == seen ? $"{name}: ok ({seen})" : $"{name}: FAILED, {expected} in-process, {seen}");
        }

        // A comparer of a culture: its sort rules are native (ICU) state, which arrived as a null handle.
        var german = new Dictionary<string, int>(StringComparer.Create(new CultureInfo("de-DE"), ignoreCase: true))
        {
            ["ZÜRICH"] = 1,
        };
        Check("a culture's comparer as an argument", () => HasZurich(german), () => pool.Apply(HasZurich, german));
        var dutch = new CultureInfo("nl-NL");
        Check("a used culture as an argument", () => Compares(dutch), () => pool.Apply(Compares, dutch));
        Check("a culture as a result", () => Compares(MakeCulture("sv-SE")),
            () => Compares(pool.Apply(MakeCulture, "sv-SE")));
        var custom = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        custom.NumberFormat.NumberDecimalSeparator = "#";
        Check("a culture changed by the program", () => Formats(custom), () => pool.Apply(Formats, custom));

        // The current culture's comparer means the sender's culture, not whatever culture the worker has.
        CultureInfo.CurrentCulture = CultureInfo.DefaultThreadCurrentCulture = new CultureInfo("tr-TR");
        var turkish = new Dictionary<string, int>(StringComparer.CurrentCultureIgnoreCase) { ["istanbul"] = 1 };
        Check("the current culture's comparer", () => HasIstanbul(turkish), () => pool.Apply(HasIstanbul, turkish));
        return failed;
    }

    /// <summary>Whether the dictionary finds "Zürich" (its comparer ignores case).</summary>
    public static bool HasZurich(Dictionary<string, int> table) => table.ContainsKey("Zürich");

    /// <summary>Whether the dictionary finds "ISTANBUL" (Turkish rules: no, a dotted i is not I).</summary>
    public static bool HasIstanbul(Dictionary<string, int> table) => table.ContainsKey("ISTANBUL");

    /// <summary>The culture's name and how it orders two words (after using its sort rules).</summary>
    public static string Compares(CultureInfo culture) =>
        $"{culture.Name} {culture.CompareInfo.Compare("äpple", "zebra")} {culture.CompareInfo.Compare("a", "B")}";

    /// <summary>A culture whose sort rules were used.</summary>
    public static CultureInfo MakeCulture(string name)
    {
        var culture = new CultureInfo(name);
        _ = culture.CompareInfo.Compare("a", "b");
        return culture;
    }

    /// <summary>1.5 in the culture's number format.</summary>
    public static string Formats(CultureInfo culture) => 1.5.ToString(culture);
}
