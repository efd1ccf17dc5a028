using System.Text;
using MailSync.Grains.Sync;

namespace MailSync.UnitTests.Sync;

public sealed class AnswerBudgetTests
{
    private static void Server(AnswerBudget budget, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        budget.LogServer(bytes, 0, bytes.Length);
    }

    private static void Client(AnswerBudget budget) => budget.LogClient([0x41], 0, 1);

    [Fact]
    public void A_literal_past_the_limit_is_refused_by_its_announced_size_before_any_of_it_is_read()
    {
        var budget = new AnswerBudget();
        using var _ = budget.Allow(AnswerBudget.ForFetch(1), "the headers of 1 messages in INBOX", "Move it.");

        var refused = Assert.Throws<ImapAnswerTooLargeException>(
            () => Server(budget, "* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM)] {262145}\r\n"));

        Assert.Equal("The server sent an item of 262,145 bytes (at most 256 KB are read) in the headers of 1 messages in INBOX; "
            + "the answer was refused and the connection closed. Move it.", refused.Message);
    }

    [Fact]
    public void A_literal_at_the_limit_is_read_and_a_small_marker_inside_it_starts_nothing()
    {
        var budget = new AnswerBudget();
        var inside = "Subject: {12}\r\n".PadRight((int)AnswerBudget.MaxLiteralBytes, 'x');

        Server(budget, $"* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {{{inside.Length}}}\r\n");
        Server(budget, inside);
        Server(budget, ")\r\n* LIST () \"/\" \"Deals {12}\"\r\nA1 OK done\r\n");
    }

    [Theory]
    [InlineData("* 1 FETCH (BODY[] {262145+}\r\n")] // LITERAL+ form
    [InlineData("* 1 FETCH (BODY[] {262145}\n")] // no CR: MailKit takes it
    [InlineData("* 1 FETCH (BODY[] {262145}x\r\n")] // MailKit skips to the line's end
    [InlineData("* 1 FETCH (BODY[] {262145}{5}\r\n")] // MailKit takes the first
    [InlineData("* OK [ALERT] {262145}")] // where MailKit would read text: still refused
    public void Any_marker_past_the_limit_is_refused_whatever_follows_it(string line)
    {
        var budget = new AnswerBudget();

        Assert.Throws<ImapAnswerTooLargeException>(() => Server(budget, line));
    }

    [Fact]
    public void A_marker_past_the_limit_hidden_inside_a_literal_is_refused_too()
    {
        var budget = new AnswerBudget();
        Server(budget, "* OK text {40}\r\n"); // taken for a 40-byte literal: the next line's start is stepped over

        Assert.Throws<ImapAnswerTooLargeException>(() => Server(budget, "* 1 FETCH (BODY[] {30000000}\r\n"));
    }

    [Fact]
    public void An_answer_past_its_budget_is_refused_and_the_next_command_starts_a_fresh_count()
    {
        var budget = new AnswerBudget();
        var line = new string('1', 1024 * 1024 - 2) + "\r\n"; // 1 MB
        for (var i = 0; i < 16; i++) Server(budget, line);
        Client(budget);
        for (var i = 0; i < 16; i++) Server(budget, line); // a new command: its own 16 MB

        var refused = Assert.Throws<ImapAnswerTooLargeException>(() => Server(budget, line));

        Assert.StartsWith("The server sent more than 16 MB for one answer;", refused.Message);
    }

    [Fact]
    public void A_fetch_may_bring_its_size_in_headers_within_bounds_and_the_default_returns_after_it()
    {
        Assert.Equal(1024 * 1024, AnswerBudget.ForFetch(1));
        Assert.Equal(100 * 64 * 1024, AnswerBudget.ForFetch(100));
        Assert.Equal(32 * 1024 * 1024, AnswerBudget.ForFetch(2500));
        var budget = new AnswerBudget();
        using (budget.Allow(AnswerBudget.ForFetch(1), "a fetch"))
        {
            Assert.Throws<ImapAnswerTooLargeException>(() => Server(budget, new string('1', 1024 * 1024 + 1)));
        }
        Client(budget);

        Server(budget, new string('1', 2 * 1024 * 1024));
    }
}
