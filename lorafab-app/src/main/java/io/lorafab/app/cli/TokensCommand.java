package io.lorafab.app.cli;

import io.lorafab.app.views.ApiViews;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Role;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lorafab tokens}: API tokens for the HTTP API. */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Create, list and revoke API tokens. Only a hash of each token is stored.",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
public final class TokensCommand extends RegistryCommand.Group {

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create an API token and print it once: only its hash is stored, so it cannot be shown again.",
                    "The token alone is printed on standard output; the note about it goes to standard error."},
            footer = {"", "Example:", "  lorafab tokens create --role operator --name line-1 > line-1.token"})
    static final class Create extends RegistryCommand {

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "operator, engineer, admin or network-server")
        String role;

        @Option(names = "--name", paramLabel = "N", description = "what the token is for (default: the role); a network-server token is named after its NetID "
                + "(000013) or as:<AS-ID> for an application server")
        String name;

        @Option(names = "--json", description = "print {\"id\", \"name\", \"role\", \"token\"}")
        boolean json;

        private Role parsedRole;

        @Override
        void check() {
            parsedRole = Args.option("--role", () -> Role.parse(role));
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            // the service's naming rule, named after the option that broke it
            String tokenName = Args.option("--name", () -> lf.tokens().nameFor(parsedRole, name));
            ApiTokens.Created c = lf.tokens().create(tokenName, parsedRole, actor());
            ApiToken t = c.token();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", t.id());
                m.put("name", t.name());
                m.put("role", t.role().display());
                m.put("token", c.secret());
                Output.json(out, m);
            } else {
                // the token alone on stdout, so that `> file` or `$(...)` captures exactly the secret
                out.println(c.secret());
                spec.commandLine().getErr().println("note: token " + t.id() + " (" + t.role().display() + ", '" + t.name()
                        + "'): store it now, it cannot be shown again");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List the API tokens (never the tokens themselves).")
    static final class ListTokens extends RegistryCommand {

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            List<ApiToken> tokens = lf.tokens().all();
            if (json) {
                Output.json(out, tokens.stream().map(ApiViews::token).toList());
                return 0;
            }
            Output.Table t = new Output.Table("ID", "NAME", "ROLE", "ACTIVE", "CREATED", "REVOKED").rightAligned(0);
            for (ApiToken k : tokens) {
                t.row(k.id(), k.name(), k.role().display(), k.revokedAt() == null, k.createdAt(), k.revokedAt());
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Revoke an API token: it stops working at once.")
    static final class Revoke extends RegistryCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "the token's id (see 'lorafab tokens list')")
        long id;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            lf.tokens().revoke(id, actor());
            out.println("revoked token " + id);
            return 0;
        }
    }
}
