// The secret scan records the audit rows of every tracked in-memory audit log after each test (see DiscordMcp.Testing.SecretScan).
[assembly: DiscordMcp.Testing.RecordTrackedAfterEachTest]
