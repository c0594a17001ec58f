package dev.silo.diag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hcs.net.Hns;
import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.hns.linux.LinuxDataplane;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hnsdiag}: Silo's counterpart of Windows' hnsdiag — lists, creates and deletes HCN
 * networks, endpoints, namespaces and load balancers, attaches endpoints to namespaces, and shows
 * the kernel objects behind one object.
 */
@Command(
    name = "hnsdiag",
    mixinStandardHelpOptions = true,
    versionProvider = HnsDiag.Version.class,
    description = "Shows and changes Silo's Host Network Service objects (HCN v2 documents).",
    footer = {"", "Example:", "  hnsdiag create network nat.json", "  hnsdiag list all --json"},
    subcommands = {
      HnsDiag.ListCmd.class,
      HnsDiag.CreateCmd.class,
      HnsDiag.DeleteCmd.class,
      HnsDiag.AttachCmd.class,
      HnsDiag.DetachCmd.class,
      HnsShow.class
    })
public final class HnsDiag {
  /** Reads HCN documents strictly, except the Settings-less policies (L2Driver) HNS accepts. */
  static final ObjectMapper READ =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
          .build();

  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

  private HnsDiag() {}

  /** The version with the dataplane behind the service (the demo picks its path from it). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "hnsdiag 0.1.0 (dataplane " + LinuxDataplane.class.getSimpleName() + ")"
      };
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new HnsDiag());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          String m = e.getMessage() == null ? e.toString() : e.getMessage();
          line.getErr().println("hnsdiag: " + m.replace('\n', ' '));
          return 1;
        });
    return cl.execute(globalsAfterVerb(args));
  }

  /**
   * Moves options typed before the verb ({@code hnsdiag --store x list}) after it, where picocli
   * reads them: every verb takes the shared options, and users type them in either place.
   */
  static String[] globalsAfterVerb(String[] args) {
    List<String> before = new ArrayList<>();
    int i = 0;
    while (i < args.length
        && args[i].startsWith("--")
        && !args[i].equals("--help")
        && !args[i].equals("--version")) {
      before.add(args[i]);
      boolean valued = (args[i].equals("--store") || args[i].equals("--host-netns"));
      if (valued && i + 1 < args.length) {
        before.add(args[++i]);
      }
      i++;
    }
    if (before.isEmpty() || i >= args.length) {
      return args;
    }
    List<String> out = new ArrayList<>();
    out.add(args[i]);
    out.addAll(before);
    out.addAll(Arrays.asList(args).subList(i + 1, args.length));
    return out.toArray(String[]::new);
  }

  /** The object kinds of the CLI, with their plural for {@code list}. */
  enum Kind {
    NETWORK,
    ENDPOINT,
    NAMESPACE,
    LOADBALANCER;

    static Kind parse(String word) {
      String w = word.toLowerCase(java.util.Locale.ROOT);
      for (Kind k : values()) {
        String n = k.name().toLowerCase(java.util.Locale.ROOT);
        if (w.equals(n) || w.equals(n + "s")) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "unknown kind \"" + word + "\" (network, endpoint, namespace, loadbalancer)");
    }
  }

  /** Options every subcommand shares. */
  static class Common {
    @Option(
        names = "--store",
        paramLabel = "PATH",
        description = "HNS store file (default: $SILO_HNS_STORE or /var/lib/silo/hns.db)")
    @Nullable Path store;

    @Option(
        names = "--host-netns",
        paramLabel = "NAME",
        description = "network namespace holding the host side (default: this process's)")
    @Nullable String hostNetns;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "show this help message and exit")
    boolean help;

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    HostNetworkService hns() throws HnsException {
      Path s = store == null ? Hns.defaultStore() : store.toAbsolutePath();
      if (hostNetns != null) {
        System.setProperty(Hns.HOST_NETNS_PROPERTY, hostNetns);
      }
      return Hns.open(s, HnsOptions.Reconcile.WHEN_BOOT_CHANGED);
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    void printJson(Object value) throws JsonProcessingException {
      out().println(JSON.writeValueAsString(value));
    }

    /**
     * Prints {@code rows} as a JSON array with {@code --json}, else as a table of kind {@code k}.
     */
    void showList(Kind k, java.util.List<?> rows) throws JsonProcessingException {
      if (json) {
        printJson(rows);
      } else {
        Tables.print(out(), k, rows);
      }
    }

    /** Prints one object as a JSON object with {@code --json}, else as a one-row table. */
    void showOne(Kind k, Object row) throws JsonProcessingException {
      if (json) {
        printJson(row);
      } else {
        Tables.print(out(), k, java.util.List.of(row));
      }
    }
  }

  @Command(
      name = "list",
      description = "List networks, endpoints, namespaces, load balancers, or all of them.",
      footer = {"", "Example:", "  hnsdiag list endpoints --json"})
  static final class ListCmd extends Common implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "KIND",
        description = "networks|endpoints|namespaces|loadbalancers|all")
    String kind = "all";

    @Override
    public Integer call() throws Exception {
      HostNetworkService h = hns();
      if (kind.equalsIgnoreCase("all")) {
        Map<String, Object> all = new java.util.LinkedHashMap<>();
        for (Kind k : Kind.values()) {
          java.util.List<?> rows = Tables.list(h, k);
          all.put(Tables.plural(k), rows);
          if (!json) {
            out().println("== " + Tables.plural(k));
            Tables.print(out(), k, rows);
          }
        }
        if (json) {
          printJson(all);
        }
        return 0;
      }
      Kind k = Kind.parse(kind);
      showList(k, Tables.list(h, k));
      return 0;
    }
  }

  @Command(
      name = "create",
      description = "Create an object from an HCN v2 JSON document; prints it with its ID.",
      footer = {"", "Example:", "  hnsdiag create endpoint web-endpoint.json --json"})
  static final class CreateCmd extends Common implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "KIND",
        description = "network|endpoint|namespace|loadbalancer")
    String kind = "";

    @Parameters(index = "1", paramLabel = "FILE", description = "HCN v2 JSON document ('-': stdin)")
    String file = "";

    @Override
    public Integer call() throws Exception {
      Kind k = Kind.parse(kind);
      String text = readDocument(file);
      showOne(k, Tables.create(hns(), k, text));
      return 0;
    }
  }

  static String readDocument(String file) throws HnsException {
    try {
      return file.equals("-")
          ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          : Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw HnsException.of("read", file, HResult.HCN_E_INVALID_JSON, "no such file " + file);
    } catch (IOException e) {
      throw HnsException.of(
          "read", file, HResult.HCN_E_INVALID_JSON, "cannot read " + file + ": " + e.getMessage());
    }
  }

  @Command(
      name = "delete",
      description = "Delete an object by ID (a namespace with endpoints needs --cascade).",
      footer = {
        "",
        "Example:",
        "  hnsdiag delete namespace 5c6f2d1e-8d3b-4f0a-9a57-2b1c0e4d7a11 --cascade"
      })
  static final class DeleteCmd extends Common implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "KIND",
        description = "network|endpoint|namespace|loadbalancer")
    String kind = "";

    @Parameters(index = "1", paramLabel = "ID", description = "object ID (endpoints: ID or name)")
    String id = "";

    @Option(names = "--cascade", description = "detach a namespace's endpoints before deleting it")
    boolean cascade;

    @Override
    public Integer call() throws Exception {
      Kind k = Kind.parse(kind);
      HostNetworkService h = hns();
      String target = k == Kind.ENDPOINT ? Tables.endpoint(h, id).id() : id;
      if (k == Kind.NAMESPACE && !cascade) {
        HostComputeNamespace ns = h.getNamespaceById(id);
        if (!ns.endpointIds().isEmpty()) {
          throw HnsException.of(
              "hcnDeleteNamespace",
              id,
              HResult.HCN_E_ENTITY_HAS_REFERENCES,
              "namespace has endpoints " + ns.endpointIds() + "; detach them or use --cascade");
        }
      }
      Tables.delete(h, k, java.util.Objects.requireNonNull(target));
      if (json) {
        printJson(Map.of("Deleted", Tables.singular(k), "ID", target));
      } else {
        out().println("deleted " + Tables.singular(k) + " " + target);
      }
      return 0;
    }
  }

  @Command(
      name = "attach",
      description = "Attach an endpoint to a namespace (its netns gets the endpoint's interface).",
      footer = {"", "Example:", "  hnsdiag attach web 5c6f2d1e-8d3b-4f0a-9a57-2b1c0e4d7a11"})
  static final class AttachCmd extends Common implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "endpoint ID or name")
    String endpoint = "";

    @Parameters(index = "1", paramLabel = "NAMESPACE", description = "namespace ID")
    String namespace = "";

    @Override
    public Integer call() throws Exception {
      HostNetworkService h = hns();
      HostComputeEndpoint ep = Tables.endpoint(h, endpoint);
      showOne(
          Kind.NAMESPACE,
          h.addNamespaceEndpoint(namespace, java.util.Objects.requireNonNull(ep.id())));
      return 0;
    }
  }

  @Command(
      name = "detach",
      description = "Detach an endpoint from its namespace (or from NAMESPACE when given).",
      footer = {"", "Example:", "  hnsdiag detach web"})
  static final class DetachCmd extends Common implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "endpoint ID or name")
    String endpoint = "";

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAMESPACE", description = "namespace ID")
    @Nullable String namespace;

    @Override
    public Integer call() throws Exception {
      HostNetworkService h = hns();
      HostComputeEndpoint ep = Tables.endpoint(h, endpoint);
      String epId = java.util.Objects.requireNonNull(ep.id());
      String ns = namespace != null ? namespace : ep.hostComputeNamespace();
      if (ns == null) {
        throw HnsException.of(
            "hcnModifyNamespace",
            epId,
            HResult.HCN_E_ENDPOINT_NOT_ATTACHED,
            "endpoint " + epId + " is in no namespace");
      }
      showOne(Kind.NAMESPACE, h.removeNamespaceEndpoint(ns, epId));
      return 0;
    }
  }
}
