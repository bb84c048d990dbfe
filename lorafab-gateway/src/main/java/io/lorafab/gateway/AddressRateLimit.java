package io.lorafab.gateway;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * A token bucket per source IP address: {@code ratePerSecond} tokens a second, at most one second's worth
 * banked. Bounded: beyond {@code maxAddresses} the address heard least recently is forgotten (a sender that
 * spoofs many source addresses cannot be limited per address anyway; the bound keeps its memory finite). O(1) per
 * call; time comes from the caller (the connector's clock), so tests need no sleeping.
 */
final class AddressRateLimit {
    private final double ratePerMilli;
    private final double burst;
    private final int maxAddresses;
    /** Insertion order is the order of the last take: iteration starts at the stalest address. */
    private final LinkedHashMap<InetAddress, Bucket> buckets = new LinkedHashMap<>();

    /** @param ratePerSecond tokens per second per address; 0 disables the limit */
    AddressRateLimit(int ratePerSecond, int maxAddresses) {
        if (ratePerSecond < 0 || maxAddresses < 1) {
            throw new IllegalArgumentException("ratePerSecond must be >= 0 and maxAddresses positive");
        }
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.burst = ratePerSecond;
        this.maxAddresses = maxAddresses;
    }

    /** Takes {@code n} tokens from {@code address}'s bucket at {@code nowMillis}; false (taking none) if it lacks them. */
    synchronized boolean tryTake(InetAddress address, int n, long nowMillis) {
        if (burst == 0 || n == 0) {
            return true;
        }
        Bucket b = buckets.remove(address);
        if (b == null) {
            b = new Bucket(burst, nowMillis);
            if (buckets.size() >= maxAddresses) {
                Iterator<InetAddress> stalest = buckets.keySet().iterator();
                stalest.next();
                stalest.remove();
            }
        } else if (nowMillis > b.at) {
            b.tokens = Math.min(burst, b.tokens + (nowMillis - b.at) * ratePerMilli);
            b.at = nowMillis;
        }
        buckets.put(address, b);
        if (b.tokens < n) {
            return false;
        }
        b.tokens -= n;
        return true;
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
