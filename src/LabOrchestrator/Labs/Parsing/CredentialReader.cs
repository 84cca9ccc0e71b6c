namespace LabOrchestrator.Labs.Parsing;

/// <summary>Reads a node's <c>credentials</c>: the logins the learner is shown.</summary>
internal static class CredentialReader
{
    /// <summary>The password value that asks for a fresh random password in every session.</summary>
    public const string Generate = "generate";

    private const int MaxUserNameLength = 32;

    public static List<CredentialDefinition> Read(YamlValue value, string path, ValueReader values)
    {
        var credentials = new List<CredentialDefinition>();
        if (values.Sequence(value, path, hint: "list each login as '- name: learner' with 'username' and 'password' below it") is not { } sequence)
        {
            return credentials;
        }

        var names = new UniqueNames("credential name", "within a node", values.Diagnostics);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = FieldPath.Item(path, i);
            if (values.Mapping(sequence.Items[i], itemPath, "write each login as '- name: learner' with 'username' and 'password' below it") is { } mapping
                && ReadOne(values.Fields(mapping, itemPath, LabFields.Credential), names, values) is { } credential)
            {
                credentials.Add(credential);
            }
        }

        return credentials;
    }

    private static CredentialDefinition? ReadOne(FieldReader fields, UniqueNames names, ValueReader values)
    {
        var name = fields.RequiredString("name");
        if (name is not null && NameRules.Check(name, fields["name"]!, fields.PathOf("name"), "credential", values.Diagnostics))
        {
            names.Add(name, fields["name"]!, fields.PathOf("name"));
        }

        var username = fields.RequiredString("username");
        if (username is not null && (username.Length > MaxUserNameLength || !LabPatterns.LinuxUserName().IsMatch(username)))
        {
            values.Diagnostics.Add(fields["username"]!, fields.PathOf("username"),
                $"{ValueReader.Quote(username)} is not a valid Linux user name",
                $"use lowercase letters, digits, '_' and '-', starting with a letter or '_', at most {MaxUserNameLength} characters");
            username = null;
        }

        var password = fields.RequiredString("password", $"give a password, or '{Generate}' for a random one in every session");
        if (name is null || username is null || password is null)
        {
            return null;
        }

        return password == Generate
            ? new CredentialDefinition { Name = name, Username = username, GeneratePassword = true }
            : new CredentialDefinition { Name = name, Username = username, Password = password };
    }
}
