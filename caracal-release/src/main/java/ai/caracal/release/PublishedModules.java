package ai.caracal.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The published modules: the parent, {@code caracal-bom}, and every module {@code caracal-bom} lists. The
 * BOM is the one list; everything else (the release checks, the bundle) reads it from here.
 */
final class PublishedModules {

    static final String GROUP_ID = "ai.caracal";

    private PublishedModules() {
    }

    /**
     * The published modules of the repository at {@code root}: parent first, then the BOM, then the
     * libraries in the BOM's order.
     *
     * @throws IOException when {@code caracal-bom/pom.xml} cannot be read or parsed
     */
    static List<PublishedModule> of(Path root) throws IOException {
        List<PublishedModule> modules = new ArrayList<>();
        modules.add(new PublishedModule("caracal-parent", "", PublishedModule.Kind.PARENT));
        modules.add(new PublishedModule("caracal-bom", "caracal-bom", PublishedModule.Kind.BOM));
        for (String artifactId : bomArtifactIds(root)) {
            modules.add(new PublishedModule(artifactId, artifactId, PublishedModule.Kind.LIBRARY));
        }
        return List.copyOf(modules);
    }

    /** The artifact IDs of group {@code ai.caracal} that {@code caracal-bom/pom.xml} manages, in order. */
    static List<String> bomArtifactIds(Path root) throws IOException {
        Element project = parse(root.resolve("caracal-bom").resolve("pom.xml")).getDocumentElement();
        Element management = child(project, "dependencyManagement");
        Element dependencies = management == null ? null : child(management, "dependencies");
        if (dependencies == null) {
            throw new IOException("caracal-bom/pom.xml has no dependencyManagement/dependencies");
        }
        List<String> ids = new ArrayList<>();
        for (Element dependency : children(dependencies, "dependency")) {
            if (GROUP_ID.equals(text(dependency, "groupId"))) {
                ids.add(text(dependency, "artifactId"));
            }
        }
        return List.copyOf(ids);
    }

    /** Parses a POM without resolving external entities. */
    static Document parse(Path pom) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(false);
            return factory.newDocumentBuilder().parse(Files.newInputStream(pom));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot parse " + pom + ": " + e.getMessage(), e);
        }
    }

    /** The first child element named {@code name}, or {@code null}. */
    static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The child elements named {@code name}, in document order. */
    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(name)) {
                found.add(element);
            }
        }
        return found;
    }

    /** The trimmed text of the child element {@code name}, or {@code null} when there is none. */
    static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().trim();
    }
}
