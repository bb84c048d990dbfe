package io.lorafab.console;

import io.lorafab.provisioning.service.Products;
import io.lorafab.store.model.Role;

/** {@code /console/products}: the products, as {@code lorafab products list} shows them (engineer and up). */
final class ProductsPage implements ConsolePages {
    private final Products products;

    ProductsPage(Products products) {
        this.products = products;
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.get(Nav.PRODUCTS.path(), Nav.PRODUCTS.role(), c -> c.render("products.jte", "Products", products.all()));
    }
}
