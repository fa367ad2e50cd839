package io.tunnelier.api.classpath;

import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

/**
 * Whether the classes of some jars still link when a module's pom leaves fabric8 model jars out
 * (the client loads every resource class it finds, so the agent and the operator keep only the API
 * groups they use). Loads, links and initializes every class of each jar and resolves its
 * class-level generic signatures, which reflection reads at run time (an informer's first list
 * failed on autoscaling's {@code Scale} that way). For each module's {@code ClientClasspathTest};
 * plain JDK, so it needs nothing on the test classpath but what it checks.
 */
public final class ModelLinkage {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
  private static final Pattern MODEL_NAME =
      Pattern.compile("io/fabric8/kubernetes/api/model/[A-Za-z0-9_/$]+");

  /** How many classes were checked, and each one that needs a model class that is not there. */
  public record Result(int classes, List<String> missing) {}

  private ModelLinkage() {}

  /** Checks every class of the jars that hold {@code anchors}, through {@code loader}. */
  public static Result check(ClassLoader loader, List<Class<?>> anchors)
      throws IOException, URISyntaxException {
    List<String> missing = new ArrayList<>();
    int classes = 0;
    for (Class<?> anchor : anchors) {
      for (String name : classNames(jarOf(anchor))) {
        classes++;
        try {
          Class<?> c = Class.forName(name, true, loader);
          resolve(c.getGenericSuperclass());
          for (Type t : c.getGenericInterfaces()) {
            resolve(t);
          }
        } catch (LinkageError | TypeNotPresentException | ClassNotFoundException e) {
          String message = rootMessage(e);
          if (message.replace('/', '.').contains(MODEL_PACKAGE)) {
            missing.add(name + ": " + message);
          }
        }
      }
    }
    return new Result(classes, missing);
  }

  /**
   * Every model class that the bytecode of the jars holding {@code callers} names (its constant
   * pools: classes, fields' and methods' types) and {@code loader} cannot find. Linking alone does
   * not see a class named only in a method's body until that method runs: JOSDK's leader election
   * names {@code authorization.v1.SelfSubjectRulesReview} only when it starts. For libraries whose
   * every path may run; the client's own DSL names every group, used or not.
   */
  public static List<String> missingReferences(ClassLoader loader, List<Class<?>> callers)
      throws IOException, URISyntaxException {
    TreeSet<String> named = new TreeSet<>();
    for (Class<?> caller : callers) {
      try (ZipFile zip = new ZipFile(jarOf(caller).toFile())) {
        for (var e : Collections.list(zip.entries())) {
          if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
            try (var in = new DataInputStream(zip.getInputStream(e))) {
              for (String utf8 : constantPoolStrings(in)) {
                Matcher m = MODEL_NAME.matcher(utf8);
                while (m.find()) {
                  named.add(m.group().replace('/', '.'));
                }
              }
            }
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : named) {
      try {
        Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** The UTF-8 entries of a class file's constant pool (JVMS 4.4). */
  private static List<String> constantPoolStrings(DataInputStream in) throws IOException {
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    List<String> strings = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> strings.add(in.readUTF());
        case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
        case 15 -> in.skipNBytes(3);
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
        case 5, 6 -> {
          in.skipNBytes(8);
          i++; // a long or double takes two entries
        }
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    return strings;
  }

  /** Whether any class of the API group {@code group} (e.g. "gatewayapi") is on the classpath. */
  public static boolean hasGroup(ClassLoader loader, String group) {
    return loader.getResource(MODEL_PACKAGE.replace('.', '/') + "/" + group) != null;
  }

  private static void resolve(Type t) {
    if (t instanceof ParameterizedType p) {
      for (Type a : p.getActualTypeArguments()) {
        resolve(a);
      }
    } else if (t instanceof TypeVariable<?> v) {
      v.getBounds();
    } else if (t instanceof WildcardType w) {
      w.getUpperBounds();
      w.getLowerBounds();
    }
  }

  private static Path jarOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static TreeSet<String> classNames(Path jar) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (var e : Collections.list(zip.entries())) {
        String n = e.getName();
        if (n.endsWith(".class") && !n.startsWith("META-INF") && !n.endsWith("module-info.class")) {
          names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
        }
      }
    }
    return names;
  }

  private static String rootMessage(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null) {
      r = r.getCause();
    }
    return r.getClass().getSimpleName() + " " + r.getMessage();
  }
}
