using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// The dashboard as headless Chromium rendered it (<see cref="HeadlessChromium.DumpDom"/>): its numbers read from the
/// DOM by the ids and data attributes the page gives them (each number's raw value is in its <c>data-value</c>).
/// </summary>
public sealed partial class DashboardPage(string html)
{
    /// <summary>Renders <paramref name="url"/> in headless Chromium and reads it.</summary>
    public static DashboardPage Read(string url) => new(HeadlessChromium.DumpDom(url));

    public string Html { get; } = html;

    /// <summary>True once the page drew a state it fetched from <c>/api/state</c>.</summary>
    public bool Loaded => Attribute("main", "id", "dashboard", "data-loaded") == "true";

    /// <summary>The number in the element with this id (<c>items-done</c>, <c>workers-lost</c>, ...).</summary>
    public double Number(string id) => double.Parse(Attribute(null, "id", id, "data-value")
        ?? throw new Xunit.Sdk.XunitException($"the page has no number #{id}:\n{Html}"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The hosts table's rows: each row's data attributes and its cells' values by data-field.</summary>
    public List<Dictionary<string, string>> Hosts => Rows("host");

    /// <summary>The calls table's rows, newest first: each row's data attributes and its cells' values by data-field.</summary>
    public List<Dictionary<string, string>> Calls => Rows("call");

    /// <summary>How many chart elements of this event class (<c>worker-lost</c>, <c>rerun</c>, <c>failure</c>) the chart has.</summary>
    public int ChartEvents(string kind) => Regex.Count(Html, $"<g class=\"event {kind}\"");

    /// <summary>The chart's sample count.</summary>
    public int ChartSamples => int.Parse(Attribute("svg", "id", "throughput-chart", "data-samples") ?? "0");

    private string? Attribute(string? tag, string key, string value, string wanted)
    {
        foreach (Match element in StartTag().Matches(Html))
        {
            if (tag is not null && element.Groups["tag"].Value != tag) continue;
            var attributes = Attributes(element.Value);
            if (attributes.GetValueOrDefault(key) == value) return attributes.GetValueOrDefault(wanted);
        }
        return null;
    }

    private List<Dictionary<string, string>> Rows(string kind)
    {
        var rows = new List<Dictionary<string, string>>();
        foreach (Match row in Regex.Matches(Html, $"<tr class=\"{kind}\"[^>]*>.*?</tr>", RegexOptions.Singleline))
        {
            var fields = Attributes(StartTag().Match(row.Value).Value);
            foreach (Match cell in Regex.Matches(row.Value, "<td[^>]*data-field=\"[^\"]*\"[^>]*>(?<text>.*?)</td>", RegexOptions.Singleline))
            {
                var attributes = Attributes(StartTag().Match(cell.Value).Value);
                fields[attributes["data-field"]] = attributes.GetValueOrDefault("data-value") ?? WebUtility.HtmlDecode(cell.Groups["text"].Value);
            }
            rows.Add(fields);
        }
        return rows;
    }

    private static Dictionary<string, string> Attributes(string startTag) =>
        AttributePattern().Matches(startTag).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    [GeneratedRegex("<(?<tag>[a-z]+)(\\s[^>]*)?>")]
    private static partial Regex StartTag();

    [GeneratedRegex("(?<name>[a-z-]+)=\"(?<value>[^\"]*)\"")]
    private static partial Regex AttributePattern();
}
