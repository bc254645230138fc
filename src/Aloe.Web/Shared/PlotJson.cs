using System.Text.Json;

namespace Aloe.Web.Shared;

/// <summary>Serialises plotly traces and layout for the data-plot attribute.</summary>
public static class PlotJson
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string Serialize(object data, object? layout) =>
        JsonSerializer.Serialize(new { data, layout = layout ?? new { } }, Options);
}
