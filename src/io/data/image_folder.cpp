#include "io/data/image_folder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "util/error.h"

namespace fs = std::filesystem;

namespace nacre {
namespace {

std::vector<std::string> sorted_class_folders(const fs::path& dir) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && name[0] != '.') names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> sorted_image_files(const fs::path& class_dir) {
  std::vector<std::string> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(class_dir)) {
    if (!entry.is_directory() && is_image_file_name(entry.path().filename().string())) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string join_names(const std::vector<std::string>& names) {
  std::ostringstream out;
  for (size_t i = 0; i < names.size(); ++i) out << (i ? ", " : "") << names[i];
  return out.str();
}

std::vector<std::string> names_missing_from(const std::vector<std::string>& names,
                                            const std::vector<std::string>& other) {
  std::vector<std::string> missing;
  for (const std::string& name : names) {
    if (std::find(other.begin(), other.end(), name) == other.end()) missing.push_back(name);
  }
  return missing;
}

}  // namespace

bool is_image_file_name(const std::string& file_name) {
  std::string extension = fs::path(file_name).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png" || extension == ".bmp";
}

ImageFolderListing list_image_folder(const std::string& dir) {
  if (!fs::is_directory(dir)) throw make_error("image folder ", dir, " does not exist or is not a directory");
  ImageFolderListing listing;
  listing.class_names = sorted_class_folders(dir);
  if (listing.class_names.empty()) {
    throw make_error("image folder ", dir, " has no class sub-folders; expected ", dir,
                     "/<class>/<image>.{jpg,jpeg,png,bmp}");
  }
  for (size_t label = 0; label < listing.class_names.size(); ++label) {
    fs::path class_dir = fs::path(dir) / listing.class_names[label];
    std::vector<std::string> files = sorted_image_files(class_dir);
    if (files.empty()) {
      throw make_error("class folder ", class_dir.string(),
                       " holds no images (.jpg, .jpeg, .png or .bmp); remove it or add its images");
    }
    listing.files.insert(listing.files.end(), files.begin(), files.end());
    listing.labels.insert(listing.labels.end(), files.size(), static_cast<int64_t>(label));
  }
  return listing;
}

void adopt_class_names(ImageFolderListing& listing, const std::vector<std::string>& class_names,
                       const std::string& where) {
  std::vector<std::string> missing = names_missing_from(class_names, listing.class_names);
  std::vector<std::string> extra = names_missing_from(listing.class_names, class_names);
  if (!missing.empty() || !extra.empty()) {
    throw make_error(where, " does not have the training classes: missing [", join_names(missing),
                     "], not in training [", join_names(extra), "]; its <class>/ folders must be named ",
                     "like the training classes (", join_names(class_names), ")");
  }
  for (int64_t& label : listing.labels) {
    const std::string& name = listing.class_names[static_cast<size_t>(label)];
    label = std::find(class_names.begin(), class_names.end(), name) - class_names.begin();
  }
  listing.class_names = class_names;
}

}  // namespace nacre
