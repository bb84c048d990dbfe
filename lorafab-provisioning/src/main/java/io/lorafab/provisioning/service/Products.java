package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
import io.lorafab.api.model.CreateProductRequest;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.SerialTemplate;
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
     * Creates the product a {@code POST /api/products} body (or the console's form, read into the same record)
     * describes: its texts read here, in one place, so that every adapter refuses the same input with the same
     * one-line message ({@code invalid_input} naming the field, or the value type's own words).
     */
    public Product create(CreateProductRequest request, String actor) {
        return create(newProduct(request), netIds(request.netIds()), actor);
    }

    /** The product a request describes, its texts read (EUI, MAC version, region, device profile, serial template). */
    public static NewProduct newProduct(CreateProductRequest b) {
        ProfileId profile = b.profileId() != null ? field("profileId", () -> ProfileId.parse(b.profileId()))
                : new ProfileId(required(b.vendorId(), "vendorId"), required(b.modelId(), "modelId"));
        // an EUI's refusal does not say which EUI it is; the MAC version's, the region's and the template's do
        Region region = Region.byName(b.region());
        List<Integer> dataRates = field("certificationDataRates", () -> NewProduct.certificationDataRates(region, b.certificationDataRates()));
        String firmware = field("certificationFirmwareVersion", () -> NewProduct.certificationFirmwareVersion(b.certificationFirmwareVersion()));
        boolean profile224 = Boolean.TRUE.equals(b.certificationProfile());
        if (!profile224 && (!dataRates.isEmpty() || firmware != null)) {
            throw new StoreException(ErrorCode.INVALID_INPUT, "fields 'certificationDataRates' and 'certificationFirmwareVersion'"
                    + " need 'certificationProfile': true (the TS009 profile checks them)");
        }
        return new NewProduct(b.name(), field("joinEui", () -> Eui64.parse(b.joinEui())), MacVersion.parse(b.macVersion()),
                region, profile, b.programmingProfile(), b.rssiMinDbm(), b.snrMinDb(),
                b.serialTemplate() == null ? null : SerialTemplate.parse(b.serialTemplate()), b.downlinkRssiMinDbm(), b.downlinkSnrMinDb(),
                profile224, dataRates, firmware);
    }

    /**
     * A request field's text read by its value type, whose refusal is prefixed with the field's name ("field
     * 'joinEui': EUI-64: ..."), so that a person sees which input is wrong and a form can mark it.
     */
    static <T> T field(String name, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (LorawanFormatException e) {
            throw new StoreException(ErrorCode.INVALID_INPUT, "field '" + name + "': " + e.getMessage());
        }
    }

    /** A list of NetIDs ({@code ["000013","000042"]}) as requests carry them, or null when the field is absent. */
    public static AllowedNetIds netIds(List<String> texts) {
        if (texts == null) {
            return null;
        }
        if (texts.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new StoreException(ErrorCode.INVALID_INPUT, "field 'netIds': an empty NetID");
        }
        return AllowedNetIds.parse(String.join(",", texts));
    }

    /** A field this case needs although the request does not always require it. */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw new StoreException(ErrorCode.INVALID_INPUT, "missing field '" + field + "'");
        }
        return value;
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
