using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Leads;

namespace MailSync.UnitTests.Leads;

public sealed class LeadIndexEditsTests
{
    [Fact]
    public void A_moved_lead_joins_its_new_address_and_leaves_the_old_one_and_a_case_change_moves_nothing()
    {
        var edits = LeadIndexEdits.For([
            (new Lead("lee", "lee@new.example", null), new Lead("lee", "lee@old.example", null)),
            (new Lead("lia", "LIA@lead.example", null), new Lead("lia", "lia@lead.example", null)),
            (new Lead("new", "lee@new.example", null), null),
        ]);

        Assert.Equal(["lee", "new"], edits[LeadKeys.Address("lee@new.example")].Added);
        Assert.Equal(["lee"], edits[LeadKeys.Address("lee@old.example")].Removed);
        Assert.Equal(["lia"], edits[LeadKeys.Address("lia@lead.example")].Added);
        Assert.Empty(edits[LeadKeys.Address("lia@lead.example")].Removed);
    }

    [Fact]
    public void Only_created_and_moved_leads_are_newly_matched()
    {
        var matched = LeadIndexEdits.NewlyMatched([
            (new Lead("lee", "lee@new.example", null), new Lead("lee", "lee@old.example", null)),
            (new Lead("lia", "lia@lead.example", "Lia"), new Lead("lia", "lia@lead.example", null)),
            (new Lead("new", "new@lead.example", null), null),
        ]);

        Assert.Equal(["lee", "new"], matched.Select(l => l.LeadId));
    }

    [Fact]
    public void An_address_list_keeps_ids_in_order_once_each()
    {
        var list = LeadAddressList.Apply(LeadAddressList.Parse("b d"), new AddressEdit(["a", "b"], ["d"]));

        Assert.Equal(["a", "b"], list);
        Assert.Equal("a b", LeadAddressList.Format(list));
        Assert.Empty(LeadAddressList.Parse(""));
    }
}
