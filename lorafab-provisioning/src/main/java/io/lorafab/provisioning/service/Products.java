package io.lorafab.provisioning.service;

import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import java.util.List;

/**
 * Products: what a line builds. The HTTP API and the command line both create products and set their NetIDs
 * through this class, so that both write the same audit records ({@code product.create}, {@code product.net_ids},
 * subject {@code product:<id>}) and look a product up by the same rule.
 */
public final class Products {

    private final Registry registry;

    public Products(Registry registry) {
        this.registry = registry;
    }

    /** The product named {@code name} (surrounding blanks ignored); {@code not_found} otherwise. */
    public Product byName(String name) {
        String n = name == null ? "" : name.strip();
        return registry.productByName(n).orElseThrow(() -> StoreException.notFound("product '" + n + "'"));
    }

    public List<Product> all() {
        return registry.products();
    }

    /** The NetIDs that may join the product's devices over Backend Interfaces (none: empty). */
    public AllowedNetIds netIds(Product p) {
        return registry.productNetIds(p.id());
    }

    /**
     * Creates a product and, if any are given, the NetIDs that may join its devices over Backend Interfaces;
     * audited {@code product.create} with subject {@code product:<id>} (and {@code product.net_ids}).
     */
    public Product create(NewProduct product, AllowedNetIds netIds, String actor) {
        return registry.transaction(r -> {
            Product created = r.createProduct(product);
            r.audit(actor, "product.create", subject(created), "name=" + created.name()
                    + " joinEui=" + created.joinEui() + " macVersion=" + created.macVersion().text()
                    + " region=" + created.region() + " profileId=" + created.profileId()
                    + " serialTemplate=" + created.serialTemplate());
            if (netIds != null && !netIds.isEmpty()) {
                setNetIds(created, netIds, actor);
            }
            return created;
        });
    }

    /**
     * Sets the NetIDs of the network servers that may join a product's devices over Backend Interfaces (and so
     * receive their session keys), replacing the ones it had; audited {@code product.net_ids}.
     */
    public void setNetIds(Product product, AllowedNetIds netIds, String actor) {
        registry.transaction(r -> {
            r.setProductNetIds(product.id(), netIds);
            // subject: the name, as this record has always been written (product.create's subject is the id)
            r.audit(actor, "product.net_ids", product.name(), "net_ids=" + netIds);
            return null;
        });
    }

    /** A product's audit subject: its id, which stays when a name could be reused or changed. */
    static String subject(Product p) {
        return "product:" + p.id();
    }
}
