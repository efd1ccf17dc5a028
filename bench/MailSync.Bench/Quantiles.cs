namespace MailSync.Bench;

public static class Quantiles
{
    /// <summary>The sample at <paramref name="quantile"/> of an ascending list (the max for 1).</summary>
    public static double At(List<double> sorted, double quantile) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * quantile))];
}
