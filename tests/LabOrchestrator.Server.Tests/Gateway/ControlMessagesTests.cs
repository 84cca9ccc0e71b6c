using System.Text;
using LabOrchestrator.Server.Gateway;

namespace LabOrchestrator.Server.Tests.Gateway;

public sealed class ControlMessagesTests
{
    [Theory]
    [InlineData("""{"type":"resize","cols":100,"rows":30}""", 100, 30)]
    [InlineData("""{"rows":5,"extra":{"a":[1,2]},"cols":7,"type":"resize"}""", 7, 5)]
    public void TryReadResize_ReadsSize(string json, int columns, int rows)
    {
        Assert.True(ControlMessages.TryReadResize(Encoding.UTF8.GetBytes(json), out var c, out var r, out _));
        Assert.Equal((columns, rows), (c, r));
    }

    [Theory]
    [InlineData("""{"type":"resize","cols":0,"rows":30}""")]
    [InlineData("""{"type":"resize","cols":100}""")]
    [InlineData("""{"type":"resize","cols":70000,"rows":30}""")]
    [InlineData("""{"type":"ping"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"type":"resize",""")]
    [InlineData("not json")]
    public void TryReadResize_RefusesAnythingElse(string json)
    {
        Assert.False(ControlMessages.TryReadResize(Encoding.UTF8.GetBytes(json), out _, out _, out var error));
        Assert.NotNull(error);
    }
}
