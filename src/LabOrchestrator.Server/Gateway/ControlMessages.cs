using System.Text.Json;

namespace LabOrchestrator.Server.Gateway;

/// <summary>The JSON control messages in text frames: resize from clients; exit, error, watch state and size from the server.</summary>
internal static class ControlMessages
{
    public const int MaxLength = 1024;

    public static byte[] Waiting { get; } = """{"type":"watch","state":"waiting","message":"The learner has no terminal open on this node; watching starts when they open one."}"""u8.ToArray();

    public static byte[] Attached { get; } = """{"type":"watch","state":"attached"}"""u8.ToArray();

    public static byte[] Error(string message) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["type"] = "error", ["message"] = message });

    public static byte[] Size(ushort columns, ushort rows) => System.Text.Encoding.UTF8.GetBytes($$"""{"type":"size","cols":{{columns}},"rows":{{rows}}}""");

    /// <summary>Reads <c>{"type":"resize","cols":N,"rows":N}</c> without allocating; false with a reason for anything else.</summary>
    public static bool TryReadResize(ReadOnlySpan<byte> json, out ushort columns, out ushort rows, out string? error)
    {
        columns = 0;
        rows = 0;
        error = null;
        var isResize = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "A control message is a JSON object.";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    isResize = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("resize"u8);
                }
                else if (reader.ValueTextEquals("cols"u8))
                {
                    reader.Read();
                    columns = reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out var c) ? c : (ushort)0;
                }
                else if (reader.ValueTextEquals("rows"u8))
                {
                    reader.Read();
                    rows = reader.TokenType == JsonTokenType.Number && reader.TryGetUInt16(out var r) ? r : (ushort)0;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            error = "A control message is a JSON object.";
            return false;
        }

        if (!isResize)
        {
            error = "Unknown control message; the only one is {\"type\":\"resize\",\"cols\":N,\"rows\":N}.";
            return false;
        }

        if (columns is 0 or > 1000 || rows is 0 or > 1000)
        {
            error = "resize needs cols and rows between 1 and 1000.";
            return false;
        }

        return true;
    }
}
