using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>limits: extensions, how long a session may stay paused, and their errors with file:line:column.</summary>
public sealed class LabParserLimitsTests
{
    [Fact]
    public void Parse_ExtensionsAndPausedFor_AreRead()
    {
        var lab = Parse("""
            name: demo
            nodes:
              - name: web
                image: busybox
            limits:
              duration: 1h
              maxExtensions: 2
              extendBy: 10m
              pausedFor: 30m
            """).GetLabOrThrow();

        Assert.Equal((2, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30)), (lab.Limits.MaxExtensions, lab.Limits.ExtendBy, lab.Limits.PausedFor));
    }

    [Fact]
    public void Parse_LimitsLeftOut_AllowNoExtensionsAndAnHourPaused()
    {
        var lab = Parse("""
            name: demo
            nodes:
              - name: web
                image: busybox
            """).GetLabOrThrow();

        Assert.Equal((0, TimeSpan.FromHours(1)), (lab.Limits.MaxExtensions, lab.Limits.PausedFor));
    }

    [Fact]
    public void Parse_MaxExtensionsNotANumber_IsReportedWithItsPlace() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        limits:
          duration: 1h
          maxExtensions: two
        """,
        "lab.yaml:7:18: error: limits.maxExtensions: expected a whole number from 0 to 100, found 'two' (write how many times a learner may extend a session, e.g. 'maxExtensions: 2')");

    [Fact]
    public void Parse_ExtensionsWithoutATimeLimit_AreRefused() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        limits:
          maxExtensions: 2
        """,
        "lab.yaml:6:18: error: limits.maxExtensions: extensions need a time limit, and this lab sets none (add 'duration: 1h' (or similar) under limits, or remove maxExtensions)");

    [Fact]
    public void Parse_ExtendByWithoutMaxExtensions_IsRefused() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        limits:
          duration: 1h
          extendBy: 10m
        """,
        "lab.yaml:7:13: error: limits.extendBy: extendBy has no effect without maxExtensions (add 'maxExtensions: 2' (or similar) under limits, or remove extendBy)");

    [Fact]
    public void Parse_BadPausedFor_IsADurationError() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        limits:
          pausedFor: forever
        """,
        "lab.yaml:6:14: error: limits.pausedFor: 'forever' is not a valid duration (use whole numbers with the units h, m and s, e.g. 90s, 45m, 2h or 1h30m)");
}
