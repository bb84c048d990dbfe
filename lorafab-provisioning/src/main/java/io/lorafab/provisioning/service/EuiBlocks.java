package io.lorafab.provisioning.service;

import io.lorafab.api.model.CreateEuiBlockRequest;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.Registry;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.Product;
import java.util.List;

/** EUI blocks: the DevEUI ranges units are allocated from, created alike by the HTTP API and the command line. */
public final class EuiBlocks {

    private final Registry registry;

    public EuiBlocks(Registry registry) {
        this.registry = registry;
    }

    /**
     * A block as a user describes it: without {@code first} and {@code size} the whole space under the prefix; with
     * {@code first} alone from there to the end of that space; a size given must be positive. The checks of the
     * range itself are {@link NewEuiBlock}'s. Static, so that the command line can check its options before it
     * opens the database.
     *
     * @param size null: to the end of the prefix's space
     */
    public static NewEuiBlock describe(String name, Assignment assignment, String prefix, Eui64 first, Long size) {
        if (size != null && size <= 0) {
            throw new LorawanFormatException("EUI block: size must be positive");
        }
        long n = size != null ? size : first == null ? 0 : restOfSpace(prefix, first);
        return new NewEuiBlock(name, null, assignment, prefix, first, n);
    }

    /** How many EUIs from {@code first} to the end of the space under {@code prefix}; 0 when it is not inside. */
    static long restOfSpace(String prefix, Eui64 first) {
        String p = prefix == null ? "" : prefix.strip().replace("-", "").replace(":", "").toLowerCase(java.util.Locale.ROOT);
        if (p.isEmpty() || p.length() > 15 || !p.matches("[0-9a-f]+")) {
            return 0; // NewEuiBlock says what is wrong
        }
        int bits = p.length() * 4;
        long start = Long.parseUnsignedLong(p, 16) << (64 - bits);
        long space = 1L << (64 - bits);
        long offset = first.value() - start;
        return Long.compareUnsigned(first.value(), start) >= 0 && Long.compareUnsigned(offset, space) < 0 ? space - offset : 0;
    }

    public List<EuiBlock> all() {
        return registry.euiBlocks();
    }

    /**
     * Creates the block a {@code POST /api/eui-blocks} body (or the console's form, read into the same record)
     * describes, its texts read here for every adapter alike; {@code product} names the owner (null: shared).
     */
    public EuiBlock create(CreateEuiBlockRequest b, String actor) {
        Product owner = b.product() == null ? null : new Products(registry).byName(b.product());
        NewEuiBlock described = describe(b.name(), Assignment.parse(b.assignment()),
                b.prefix(), b.first() == null ? null : Products.field("first", () -> Eui64.parse(b.first())), b.size());
        return create(described, owner, actor);
    }

    /**
     * Creates an EUI block, of {@code owner} if not null (its id must be the block's product); audited
     * {@code eui_block.create} with subject {@code eui_block:<id>}.
     */
    public EuiBlock create(NewEuiBlock block, Product owner, String actor) {
        NewEuiBlock b = owner == null ? block : new NewEuiBlock(block.name(), owner.id(), block.assignment(), block.prefix(),
                block.first(), block.size());
        return registry.transaction(r -> {
            EuiBlock e = r.createEuiBlock(b);
            r.audit(actor, "eui_block.create", "eui_block:" + e.id(), "name=" + e.name() + " assignment="
                    + e.assignment().display() + " prefix=" + e.prefix() + " first=" + e.first() + " size=" + e.size()
                    + (owner == null ? "" : " product=" + owner.name()));
            return e;
        });
    }

    /**
     * The products whose JoinEUI lies inside {@code block}: the allocator skips it, so that no device gets a
     * DevEUI equal to its JoinEUI; a caller tells the user.
     */
    public List<Product> productsWithJoinEuiInside(EuiBlock block) {
        return registry.products().stream()
                .filter(p -> p.joinEui().compareTo(block.first()) >= 0 && p.joinEui().compareTo(block.last()) <= 0)
                .toList();
    }
}
