package io.lorafab.store;

import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import java.util.List;
import java.util.Optional;

/**
 * Products: what the maker builds, and the NetIDs their devices may be joined by over Backend Interfaces.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface ProductStore {

    Product createProduct(NewProduct p);

    Optional<Product> product(long id);

    Optional<Product> productByName(String name);

    List<Product> products();

    /** Replaces the NetIDs a product's devices may be joined by over Backend Interfaces ({@code not_found} without it). */
    void setProductNetIds(long productId, AllowedNetIds netIds);

    /** The NetIDs a product's devices may be joined by over Backend Interfaces (none for an unknown product). */
    AllowedNetIds productNetIds(long productId);
}
