package io.lorafab.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.gateway.GatewayAllowList.Verdict;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayAllowListTest {
    private static final Eui64 A = Eui64.parse("0016c001ff10a235");
    private static final Eui64 B = Eui64.parse("0016c001ff10a236");
    private static final Eui64 C = Eui64.parse("0016c001ff10a237");

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void entriesTieAnEuiToAddressesOrBlocks() throws Exception {
        GatewayAllowList l = GatewayAllowList.parse(List.of(A + "@192.0.2.10", A + "@2001:db8::/32", B + "@198.51.100.0/24",
                C.toString()));
        // EUI, source -> verdict
        Object[][] cases = {
            {A, "192.0.2.10", Verdict.ALLOWED},
            {A, "192.0.2.11", Verdict.ADDRESS_NOT_ALLOWED},
            {A, "2001:db8:1::5", Verdict.ALLOWED},
            {A, "2001:db9::5", Verdict.ADDRESS_NOT_ALLOWED},
            {B, "198.51.100.255", Verdict.ALLOWED},
            {B, "198.51.101.0", Verdict.ADDRESS_NOT_ALLOWED},
            {C, "203.0.113.9", Verdict.ALLOWED},              // no address: from anywhere
            {Eui64.parse("0016c001ff10a238"), "192.0.2.10", Verdict.EUI_NOT_ALLOWED},
        };
        for (Object[] c : cases) {
            assertThat(l.check((Eui64) c[0], ip((String) c[1]))).as("%s from %s", c[0], c[1]).isEqualTo(c[2]);
        }
        assertThat(l.pinsAddresses()).isTrue();
        assertThat(l.toString()).isEqualTo("0016c001ff10a235@192.0.2.10,0016c001ff10a235@2001:db8:0:0:0:0:0:0/32,"
                + "0016c001ff10a236@198.51.100.0/24,0016c001ff10a237");
    }

    @Test
    void anEuiListedOnceWithoutAddressIsAllowedFromAnywhere() throws Exception {
        GatewayAllowList l = GatewayAllowList.parse(List.of(A + "@192.0.2.10", A.toString()));
        assertThat(l.check(A, ip("203.0.113.1"))).isEqualTo(Verdict.ALLOWED);
        assertThat(GatewayAllowList.any().check(A, ip("203.0.113.1"))).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void badEntriesAreRefusedWithTheEntryNamedAndNoNameLookup() {
        // entry -> what the one-line error says
        String[][] cases = {
            {"0016c001ff10a23", "does not start with a gateway EUI"},
            {"0016c001ff10a235@", "is not an IPv4 or IPv6 address"},
            {"0016c001ff10a235@gateway.example.com", "is not an IPv4 or IPv6 address"},
            {"0016c001ff10a235@deadbeef", "is not an IPv4 or IPv6 address"},
            {"0016c001ff10a235@300.1.1.1", "is not an IPv4 or IPv6 address"},
            {"0016c001ff10a235@192.0.2.0/33", "the prefix length must be 0..32"},
            {"0016c001ff10a235@192.0.2.0/x", "the prefix length must be 0..32"},
            {"0016c001ff10a235@2001:db8::/129", "the prefix length must be 0..128"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> GatewayAllowList.parse(List.of(c[0]))).as(c[0]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1]).hasMessageContaining("'" + c[0].strip() + "'");
        }
    }
}
