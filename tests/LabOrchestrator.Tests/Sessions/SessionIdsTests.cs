using System.Text.RegularExpressions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Tests.Sessions;

public sealed partial class SessionIdsTests
{
    [Fact]
    public void New_IsADnsLabelAndUnique()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SessionIds.New()).ToList();

        Assert.All(ids, id => Assert.Matches(DnsLabel(), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void GeneratedPasswords_HaveTheAskedLengthAndNoLookAlikes()
    {
        var password = PasswordGenerator.New(24);

        Assert.Equal(24, password.Length);
        Assert.DoesNotMatch("[0O1lI]", password);
    }

    [GeneratedRegex("^[a-z][a-z0-9]{11}$")]
    private static partial Regex DnsLabel();
}
