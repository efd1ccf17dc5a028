namespace MailSync.Shared.Cluster;

/// <summary>How the API reaches the grains (configuration <c>Orleans:Mode</c>).</summary>
public enum OrleansMode
{
    /// <summary>The API process also runs a silo: one command runs everything (the default).</summary>
    Cohosted,

    /// <summary>The API is only a client of an external cluster of silos.</summary>
    Client,
}
